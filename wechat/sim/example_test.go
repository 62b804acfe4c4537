package sim_test

import (
	"context"
	"fmt"
	"time"

	"wxacode/wechat"
	"wxacode/wechat/sim"
)

// Start the simulator in-process and point the real client at it: what
// `wxacode --sim`, the batch tests and the TUI do.
func Example() {
	cfg := sim.DefaultConfig()
	cfg.Limits.UnlimitedPerMinute = -1 // no per-minute limit in tests
	srv := sim.New(cfg)
	srv.Clock().Set(time.Date(2024, 5, 8, 6, 25, 59, 0, time.UTC)) // minute and day limits without waiting
	base, err := srv.Listen("127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	defer srv.Close()

	client := wechat.NewClient(wechat.WithBaseURL(base),
		wechat.WithTokenSource(wechat.NewStableToken(sim.DefaultAppID, sim.DefaultSecret, wechat.TokenOptions{BaseURL: base})))
	code, err := client.Get(context.Background(), &wechat.UnlimitedRequest{Scene: "id=42"})
	if err != nil {
		panic(err)
	}
	fmt.Println(code.Format, code.Width)

	// Faults on demand: the next code request answers errcode -1.
	srv.Inject(sim.Fault{Kind: sim.FaultSystemError})
	_, err = wechat.NewClient(wechat.WithBaseURL(base), wechat.WithRetry(1, 0),
		wechat.WithTokenSource(wechat.NewStableToken(sim.DefaultAppID, sim.DefaultSecret, wechat.TokenOptions{BaseURL: base}))).
		Get(context.Background(), &wechat.UnlimitedRequest{Scene: "id=42"})
	fmt.Println(err != nil)
	// Output:
	// jpeg 430
	// true
}
