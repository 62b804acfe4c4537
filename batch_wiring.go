package main

import (
	"context"
	"errors"
	"os"

	"wxacode/wechat"
	"wxacode/wechat/batch"
	"wxacode/wechat/sim"
)

// batchGenerator builds the one client batch calls through; its limiter
// (WithRateLimit) is the only one, shared by every worker.
//
// Interim wiring until the shared openClient lands: credentials come from
// WXACODE_APPID + WXACODE_SECRET or WXACODE_ACCESS_TOKEN, the host from
// --base-url or WXACODE_BASE_URL; --sim, or no credentials at all, runs an
// in-process simulator.
func batchGenerator(ctx context.Context, f batchFlags) (batch.Generator, batch.Quota, func(), error) {
	base := f.baseURL
	if base == "" {
		base = os.Getenv("WXACODE_BASE_URL")
	}
	appID, secret, token := os.Getenv("WXACODE_APPID"), os.Getenv("WXACODE_SECRET"), os.Getenv("WXACODE_ACCESS_TOKEN")
	closeFn := func() {}
	if f.sim || (appID == "" && token == "") {
		if base != "" && !f.sim {
			return nil, nil, nil, errors.New("--base-url needs credentials: set WXACODE_APPID and WXACODE_SECRET (a `wxacode sim` prints its own)")
		}
		s := sim.New(sim.DefaultConfig())
		u, err := s.Listen("127.0.0.1:0")
		if err != nil {
			return nil, nil, nil, err
		}
		base, appID, secret, token = u, s.AppID(), s.Secret(), ""
		closeFn = func() { s.Close() }
	}
	opts := []wechat.Option{wechat.WithRateLimit(f.rate)}
	if base != "" {
		opts = append(opts, wechat.WithBaseURL(base))
	}
	if token != "" && appID == "" {
		opts = append(opts, wechat.WithTokenSource(wechat.NewFixedToken(token)))
	} else {
		opts = append(opts, wechat.WithTokenSource(wechat.NewStableToken(appID, secret, wechat.TokenOptions{BaseURL: base})))
	}
	c := wechat.NewClient(opts...)
	var q batch.Quota
	if l := c.Ledger(); l != nil {
		q = l
	}
	return c, q, closeFn, nil
}
