package main

import (
	"context"

	"wxacode/wechat"
	"wxacode/wechat/batch"
)

// batchGenerator builds the client batch calls through. Until the shared
// wiring (openClient) lands this is a bare client.
func batchGenerator(ctx context.Context, f batchFlags) (batch.Generator, batch.Quota, func(), error) {
	opts := []wechat.Option{}
	if f.baseURL != "" {
		opts = append(opts, wechat.WithBaseURL(f.baseURL))
	}
	return wechat.NewClient(opts...), nil, func() {}, nil
}

// hintTitle is the one-line hint for an errcode in the failed file.
func hintTitle(code int) string { return "" }
