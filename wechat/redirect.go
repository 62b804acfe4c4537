package wechat

import (
	"fmt"
	"net"
	"net/http"
	"time"
)

// API calls never follow redirects. A 307 from a token endpoint would re-send
// the appid and secret to whatever host it names; a 302 on a code endpoint
// would turn into a GET whose answer (any image) is saved as the code. The
// pipeline (do) refuses them for every *http.Client it is given, the
// defaults and the caller's alike, so no client can forget it.

// refuseRedirect is the one CheckRedirect: the 3xx itself is the answer.
func refuseRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// noRedirects is hc with redirects refused (a shallow copy: the transport and
// its connections are shared).
func noRedirects(hc *http.Client) *http.Client {
	if hc == nil {
		hc = http.DefaultClient
	}
	c := *hc
	c.CheckRedirect = refuseRedirect
	return &c
}

func isRedirect(status int) bool { return status >= 300 && status < 400 }

// redirectError names the target (scrubbed like all server text) and says
// why it was not followed.
func redirectError(resp *http.Response) *RequestError {
	target := resp.Header.Get("Location")
	if target == "" {
		target = "(no Location)"
	}
	return &RequestError{Status: resp.StatusCode, Err: ErrRedirect,
		Detail: fmt.Sprintf("to %s; API calls never follow redirects, which would send the access token or the secret to another host: check base_url, or a proxy between here and WeChat", target)}
}

// NewHTTPClient is the client every part of wxacode calls WeChat with: each
// stage bounded by timeout (so a dead network is a retryable timeout, not a
// hang) and redirects refused.
func NewHTTPClient(timeout time.Duration) *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.DialContext = (&net.Dialer{Timeout: min(10*time.Second, timeout), KeepAlive: 30 * time.Second}).DialContext
	t.TLSHandshakeTimeout = min(10*time.Second, timeout)
	t.ResponseHeaderTimeout = timeout
	return &http.Client{Timeout: timeout, Transport: t, CheckRedirect: refuseRedirect}
}
