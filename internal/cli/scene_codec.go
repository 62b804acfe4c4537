package cli

import (
	"errors"
	"fmt"
	"unicode/utf8"

	"wxacode/shell"
	"wxacode/wechat"
	"wxacode/wechat/scene"
)

// sceneCheck is `scene check S`: valid or every problem (exit 2).
func sceneCheck(o sceneOut, _ *IOStreams, s string, _ sceneFlags) error {
	ps := wechat.SceneProblems(s)
	n := utf8.RuneCountInString(s)
	switch {
	case o.json:
		o.encode(struct {
			Scene     string              `json:"scene"`
			Valid     bool                `json:"valid"`
			Length    int                 `json:"length"`
			MaxLength int                 `json:"max_length"`
			Problems  []scene.ProblemJSON `json:"problems"`
		}{s, len(ps) == 0, n, wechat.MaxSceneLen, scene.ProblemsJSON(ps)})
	case len(ps) == 0:
		o.printf("OK: %q is a valid scene (%d/%d characters)\n", s, n, wechat.MaxSceneLen)
	default:
		o.printf("invalid scene %q (%d/%d characters): %d problem(s)\n", s, n, wechat.MaxSceneLen, len(ps))
		printProblems(o, ps)
		o.printf("wxacode scene fit %s proposes ways to make it fit\n", shell.Quote(s))
	}
	if len(ps) > 0 {
		return reported(exitUsage)
	}
	return nil
}

// sceneEncode is `scene encode S`.
func sceneEncode(o sceneOut, _ *IOStreams, s string, _ sceneFlags) error {
	return sceneCodec(o, s, scene.EncodeURIComponent, func(err error) string {
		return fmt.Sprintf("wxacode scene encode: %v: the argument is not valid UTF-8", err)
	})
}

// sceneDecode is `scene decode S`.
func sceneDecode(o sceneOut, _ *IOStreams, s string, _ sceneFlags) error {
	return sceneCodec(o, s, scene.DecodeURIComponent, func(err error) string {
		return fmt.Sprintf("wxacode scene decode: %v\nwxacode scene analyze %s explains what went wrong", err, shell.Quote(s))
	})
}

// sceneCodec prints convert(s), or on a URIError the message (and, with
// --json, the error as JSON on stdout) and exit 2.
func sceneCodec(o sceneOut, s string, convert func(string) (string, error), message func(error) string) error {
	out, err := convert(s)
	if err != nil {
		if o.json {
			o.encode(uriErrorJSON(s, err))
		}
		return usageErrorf("%s", message(err))
	}
	if o.json {
		o.encode(codecJSON{s, out})
	} else {
		o.printf("%s\n", out)
	}
	return nil
}

type codecJSON struct {
	Input  string `json:"input"`
	Output string `json:"output"`
}

func uriErrorJSON(input string, err error) any {
	var ue *scene.URIError
	pos, kind := -1, ""
	if errors.As(err, &ue) {
		pos, kind = ue.Pos, ue.Kind
	}
	return struct {
		Input     string `json:"input"`
		Error     string `json:"error"`
		ErrorKind string `json:"error_kind"`
		ErrorPos  int    `json:"error_pos"`
	}{input, err.Error(), kind, pos}
}
