package inproc

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTransport(t *testing.T) {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/echo":
			b, _ := io.ReadAll(r.Body)
			w.Header().Set("X-Remote", r.RemoteAddr)
			w.Header().Set("X-URI", r.RequestURI)
			fmt.Fprintf(w, "%s %s %s", r.Method, r.Host, b)
		case "/short":
			w.Header().Set("Content-Length", "10")
			io.WriteString(w, "half")
		case "/drop":
			panic(http.ErrAbortHandler)
		case "/status":
			http.Error(w, "busy", http.StatusServiceUnavailable)
		}
	})
	c := Client(h)
	tests := []struct {
		name, path, body string
		wantStatus       int
		wantBody         string
		wantErr          error // from the round trip, or from reading the body
	}{
		{name: "echo", path: "/echo?a=1", body: "hi", wantStatus: 200, wantBody: "POST sim.test hi"},
		{name: "status", path: "/status", wantStatus: 503, wantBody: "busy\n"},
		{name: "short body", path: "/short", wantStatus: 200, wantBody: "half", wantErr: io.ErrUnexpectedEOF},
		{name: "dropped", path: "/drop", wantErr: io.EOF},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := c.Post("http://sim.test"+tc.path, "text/plain", strings.NewReader(tc.body))
			if tc.wantStatus == 0 {
				require.ErrorIs(t, err, tc.wantErr)
				return
			}
			require.NoError(t, err)
			defer resp.Body.Close()
			assert.Equal(t, tc.wantStatus, resp.StatusCode)
			b, err := io.ReadAll(resp.Body)
			if tc.wantErr != nil {
				require.ErrorIs(t, err, tc.wantErr)
			} else {
				require.NoError(t, err)
			}
			assert.Equal(t, tc.wantBody, string(b))
			if tc.name == "echo" {
				assert.Equal(t, "127.0.0.1:40000", resp.Header.Get("X-Remote"))
				assert.Equal(t, "/echo?a=1", resp.Header.Get("X-URI"))
			}
		})
	}
}

// A handler that waits for its client is released by the client's deadline,
// on the bubble's fake clock.
func TestTransportHonoursTheContext(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := Client(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }))
		ctx, cancel := context.WithTimeout(t.Context(), time.Hour)
		defer cancel()
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://sim.test/", nil)
		start := time.Now()
		_, err := c.Do(req)
		require.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Equal(t, time.Hour, time.Since(start), "virtual time, exactly")
	})
}
