package cli

import (
	"context"
	"fmt"
	"log/slog"
)

// redactingHandler is the debug log's sink of the run's redactor: every
// message and attribute passes through it, whoever logs. (The client redacts
// its own lines already; the log is a file for bug reports, so it checks too.)
type redactingHandler struct {
	slog.Handler
	redact func(string) string
}

func (h redactingHandler) Handle(ctx context.Context, r slog.Record) error {
	out := slog.NewRecord(r.Time, r.Level, h.redact(r.Message), r.PC)
	r.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(h.attr(a))
		return true
	})
	return h.Handler.Handle(ctx, out)
}

func (h redactingHandler) attr(a slog.Attr) slog.Attr {
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindString:
		return slog.String(a.Key, h.redact(v.String()))
	case slog.KindAny:
		return slog.String(a.Key, h.redact(fmt.Sprint(v.Any())))
	case slog.KindGroup:
		var as []any
		for _, g := range v.Group() {
			as = append(as, h.attr(g))
		}
		return slog.Group(a.Key, as...)
	}
	return a
}

func (h redactingHandler) WithAttrs(as []slog.Attr) slog.Handler {
	for i := range as {
		as[i] = h.attr(as[i])
	}
	return redactingHandler{h.Handler.WithAttrs(as), h.redact}
}

func (h redactingHandler) WithGroup(name string) slog.Handler {
	return redactingHandler{h.Handler.WithGroup(name), h.redact}
}
