package sim

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestBoundedServesAtMostItsSlots runs the bound on virtual time: with every
// slot held, later requests wait for a turn up to the queue's size, the rest
// get a 503 at once, and a freed slot lets a waiting request in.
func TestBoundedServesAtMostItsSlots(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const slots, queue, extra = 4, 3, 5
		release := make(chan struct{})
		var inside, most atomic.Int64
		b := newBounded(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			n := inside.Add(1)
			for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
			}
			<-release
			inside.Add(-1)
		}), slots, queue)
		codes := make(chan int, slots+queue+extra)
		var wg sync.WaitGroup
		for range slots + queue + extra {
			wg.Go(func() {
				rec := httptest.NewRecorder()
				b.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/wxa/getwxacodeunlimit", strings.NewReader(`{}`)))
				codes <- rec.Code
			})
		}
		synctest.Wait()
		assert.EqualValues(t, slots, inside.Load(), "every slot taken, no more")
		require.Len(t, codes, extra, "beyond the queue: answered at once")
		for range extra {
			assert.Equal(t, http.StatusServiceUnavailable, <-codes)
		}
		close(release)
		wg.Wait()
		assert.EqualValues(t, slots, most.Load(), "never more than the slots at once")
		for range slots + queue {
			assert.Equal(t, http.StatusOK, <-codes, "the queued requests were served")
		}
	})
}

// TestListenSetsEveryTimeout: the server Listen runs cuts off slow clients.
func TestListenSetsEveryTimeout(t *testing.T) {
	hs := New(DefaultConfig()).newHTTPServer()
	assert.Positive(t, hs.ReadHeaderTimeout)
	assert.Positive(t, hs.ReadTimeout)
	assert.Positive(t, hs.WriteTimeout)
	assert.Positive(t, hs.IdleTimeout)
	assert.Positive(t, hs.MaxHeaderBytes)
	assert.IsType(t, &bounded{}, hs.Handler)
}

// TestSlowBodyClientsDoNotHoldTheServer: twice as many clients as there are
// slots send their headers and part of a body, then stall; the simulator
// still serves a token and a code to a normal client while they hang (their
// bodies are read before a slot is taken). Behaviour only: nothing is
// timed but a generous failsafe.
func TestSlowBodyClientsDoNotHoldTheServer(t *testing.T) {
	s := New(DefaultConfig())
	base, err := s.Listen("127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	host := strings.TrimPrefix(base, "http://")
	var conns []net.Conn
	t.Cleanup(func() {
		for _, c := range conns {
			c.Close()
		}
	})
	for range 2 * maxConcurrent {
		c, err := net.Dial("tcp", host)
		require.NoError(t, err)
		conns = append(conns, c)
		_, err = fmt.Fprintf(c, "POST /wxa/getwxacodeunlimit?access_token=x HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"scene\":", host)
		require.NoError(t, err)
	}
	hc := &http.Client{Timeout: 30 * time.Second} // failsafe only
	tok, err := hc.Get(base + "/cgi-bin/token?grant_type=client_credential&appid=" + s.AppID() + "&secret=" + s.Secret())
	require.NoError(t, err)
	var answer struct {
		AccessToken string `json:"access_token"`
	}
	b, _ := io.ReadAll(tok.Body)
	tok.Body.Close()
	require.NoError(t, json.Unmarshal(b, &answer), "%s", b)
	resp, err := hc.Post(base+"/wxa/getwxacodeunlimit?access_token="+answer.AccessToken, "application/json", strings.NewReader(`{"scene":"a","check_path":false}`))
	require.NoError(t, err)
	defer resp.Body.Close()
	img, _ := bufio.NewReader(resp.Body).Peek(2)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, []byte{0xff, 0xd8}, img, "a JPEG while %d clients stall", len(conns))
}

// TestStalledClientIsCutOff: a client that stops sending its body is
// disconnected by the read timeout (shortened here) instead of holding its
// connection for ever.
func TestStalledClientIsCutOff(t *testing.T) {
	s := New(DefaultConfig())
	hs := s.newHTTPServer()
	hs.ReadTimeout = 100 * time.Millisecond
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	go hs.Serve(ln)
	t.Cleanup(func() { hs.Close() })
	c, err := net.Dial("tcp", ln.Addr().String())
	require.NoError(t, err)
	defer c.Close()
	_, err = fmt.Fprintf(c, "POST /wxa/getwxacodeunlimit HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{")
	require.NoError(t, err)
	require.NoError(t, c.SetReadDeadline(time.Now().Add(30*time.Second))) // failsafe only
	_, err = io.ReadAll(c)
	var ne net.Error
	if errors.As(err, &ne) {
		require.False(t, ne.Timeout(), "the server never cut the stalled client off")
	}
}
