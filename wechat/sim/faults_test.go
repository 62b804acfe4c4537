package sim

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/internal/inproc"
)

// listen serves s on a loopback port for tests that need a real connection.
func listen(t *testing.T, s *Server) string {
	t.Helper()
	base, err := s.Listen("127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Close() })
	return base
}

func post(t *testing.T, base, path, token, body string) (*http.Response, []byte, error) {
	t.Helper()
	resp, err := http.Post(base+path+"?access_token="+url.QueryEscape(token), "application/json", strings.NewReader(body))
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp, b, err
}

func TestInjectedFaults(t *testing.T) {
	s := newSim(t)
	base := listen(t, s)
	tok := classic(t, s)
	body := `{"scene":"a"}`

	s.Inject(Fault{Kind: FaultTruncate})
	resp, b, err := post(t, base, pathB, tok, body)
	require.ErrorIs(t, err, io.ErrUnexpectedEOF, "Content-Length promises more than is sent")
	assert.Less(t, int64(len(b)), resp.ContentLength)

	s.Inject(Fault{Kind: FaultDrop})
	_, _, err = post(t, base, pathB, tok, body)
	require.Error(t, err)

	s.Inject(Fault{Kind: FaultUnavailable})
	resp, _, err = post(t, base, pathB, tok, body)
	require.NoError(t, err)
	assert.Equal(t, 503, resp.StatusCode)
	assert.Equal(t, "text/html", resp.Header.Get("Content-Type"))

	s.Inject(Fault{Kind: FaultMislabel})
	resp, b, err = post(t, base, pathB, tok, body)
	require.NoError(t, err)
	assert.Equal(t, "text/html", resp.Header.Get("Content-Type"))
	assert.Equal(t, []byte{0xFF, 0xD8, 0xFF}, b[:3], "still a JPEG")

	s.Inject(Fault{Kind: FaultMislabel})
	resp, b, err = post(t, base, pathB, tok, `{"scene":""}`)
	require.NoError(t, err)
	assert.Equal(t, "text/plain", resp.Header.Get("Content-Type"))
	assert.Contains(t, string(b), `"errcode":40169`)

	s.Inject(Fault{Kind: FaultSystemError}, Fault{Kind: FaultErrcode, Code: 48001, Msg: "api unauthorized"})
	_, b, _ = post(t, base, pathB, tok, body)
	assert.Contains(t, string(b), `"errcode":-1,"errmsg":"system error rid: `)
	_, b, _ = post(t, base, pathB, tok, body)
	assert.Contains(t, string(b), `"errcode":48001`)

	// Queue empty again: a normal image; token endpoints untouched by default.
	s.Inject(Fault{Kind: FaultDrop})
	classic(t, s)
	_, _, err = post(t, base, pathB, tok, body)
	require.Error(t, err, "the queued fault waited for a code request")
	resp, _, err = post(t, base, pathB, tok, body)
	require.NoError(t, err)
	assert.Equal(t, "image/jpeg", resp.Header.Get("Content-Type"))
}

func TestFaultsOnTokens(t *testing.T) {
	s := newSim(t, func(c *Config) { c.Faults.Tokens = true })
	s.Inject(Fault{Kind: FaultSystemError})
	requireErr(t, do(t, s, "GET", "/cgi-bin/token?grant_type=client_credential&appid="+DefaultAppID+"&secret="+DefaultSecret, ""), -1)
	classic(t, s)
}

// TestLatency runs on the bubble's clock through the in-process transport:
// the delay is exact, and costs no real time.
func TestLatency(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := newSim(t, func(c *Config) { c.Faults.Latency = 50 * time.Millisecond })
		tok := classic(t, s) // token endpoints are not delayed
		hc := inproc.Client(s)
		target := "http://sim.test" + pathB + "?access_token=" + url.QueryEscape(tok)
		start := time.Now()
		resp, err := hc.Post(target, "application/json", strings.NewReader(`{"scene":"a"}`))
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, 50*time.Millisecond, time.Since(start))

		// A client giving up stops the wait.
		s.SetFaults(Faults{Latency: time.Hour})
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
		defer cancel()
		start = time.Now()
		req, _ := http.NewRequestWithContext(ctx, "POST", target, strings.NewReader(`{"scene":"a"}`))
		_, err = hc.Do(req)
		require.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Equal(t, 10*time.Millisecond, time.Since(start))
		synctest.Wait() // and the handler has returned: the bubble ends with no timer left
	})
}

// The same seed gives the same faults in the same order.
func TestFaultsDeterministic(t *testing.T) {
	outcomes := func() []int {
		s := newSim(t, func(c *Config) { c.Faults = Faults{Seed: 7, SystemError: 0.3, Mislabel: 0.2} })
		tok := classic(t, s)
		var out []int
		for i := 0; i < 40; i++ {
			a := code(t, s, pathB, tok, `{"scene":"a"}`)
			v := a.errcode
			if a.header.Get("Content-Type") == "text/html" || a.header.Get("Content-Type") == "text/plain" {
				v += 1000
			}
			out = append(out, v)
		}
		return out
	}
	first := outcomes()
	assert.Equal(t, first, outcomes())
	assert.Contains(t, first, -1)
	assert.Contains(t, first, 0)
}

// Many clients at once, under -race: tokens, codes and quotas stay consistent.
func TestConcurrentClients(t *testing.T) {
	s := New(DefaultConfig())
	base := listen(t, s)
	_, _, a := stable(t, s, false)
	require.False(t, a.isErr)
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 6; i++ {
				tok, _, _ := stable(t, s, false)
				body := `{"scene":"g=` + string(rune('0'+g)) + `"}`
				path := pathB
				if i%3 == 1 {
					path, body = pathA, `{"path":"p?id=`+string(rune('0'+i))+`"}`
				}
				if i%3 == 2 {
					_ = classic(t, s)
				}
				resp, b, err := post(t, base, path, tok, body)
				if err != nil {
					errs <- err
					return
				}
				if resp.Header.Get("Content-Type") != "image/jpeg" {
					errs <- &url.Error{Op: "post", URL: path, Err: io.EOF}
					t.Logf("unexpected answer %s", b)
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	assert.Len(t, s.state.pool, 2, "A codes with the same parameters counted once")
}
