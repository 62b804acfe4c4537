package wechat

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/internal/testimage"
)

// endpointCases covers the three endpoints with a valid request each.
var endpointCases = []struct {
	name string
	req  func() Request
}{
	{"unlimited", func() Request { return &UnlimitedRequest{Scene: "id=42", Page: "pages/index/index"} }},
	{"limited", func() Request { return &LimitedRequest{Path: "pages/index/index?id=42"} }},
	{"qrcode", func() Request { return &QRCodeRequest{Path: "pages/index/index?id=42"} }},
}

func TestGetJPEGSuccess(t *testing.T) {
	img := testimage.JPEG(testimage.Checker(64, 48))
	for _, tc := range endpointCases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t)
			req := tc.req()
			f.handle(req.Kind().Path(), serveImage(img, "image/jpeg", 1234))
			clock := &stepClock{fakeClock: *newFakeClock(), step: 7 * time.Millisecond}
			code, err := f.client(WithClock(clock.Now)).Get(context.Background(), req)
			require.NoError(t, err)
			assert.Equal(t, FormatJPEG, code.Format)
			assert.Equal(t, img, code.Bytes)
			assert.Equal(t, 64, code.Width)
			assert.Equal(t, 48, code.Height)
			assert.Equal(t, "image/jpeg", code.ContentType)
			assert.Equal(t, 1234, code.NumUsed)
			assert.Equal(t, clock.last(), code.Received, "the client's clock, read last")
			assert.Equal(t, clock.step, code.Elapsed, "one step of the client's clock: sent, then received")

			reqs := f.requests(req.Kind().Path())
			require.Len(t, reqs, 1)
			assert.Equal(t, http.MethodPost, reqs[0].Method)
			assert.Equal(t, testToken, reqs[0].Token)
			assert.Equal(t, "application/json", reqs[0].ContentType)
			want, _ := req.Body()
			assert.Equal(t, string(want), string(reqs[0].Body))
		})
	}
}

func TestTypedWrappers(t *testing.T) {
	f := newFake(t)
	img := testimage.JPEG(testimage.Checker(8, 8))
	for _, k := range Kinds {
		f.handle(k.Path(), serveImage(img, "image/jpeg", -1))
	}
	c := f.client()
	ctx := context.Background()
	code, err := c.GetUnlimited(ctx, &UnlimitedRequest{Scene: "a"})
	require.NoError(t, err)
	assert.Equal(t, -1, code.NumUsed, "Num-Used absent")
	_, err = c.GetLimited(ctx, &LimitedRequest{Path: "p"})
	require.NoError(t, err)
	_, err = c.CreateQRCode(ctx, &QRCodeRequest{Path: "p"})
	require.NoError(t, err)
	_, err = c.GetUnlimited(ctx, nil)
	require.Error(t, err)
	assert.Len(t, f.requests(KindUnlimited.Path()), 1)
}

func TestGetPNGLabelledJPEG(t *testing.T) {
	f := newFake(t)
	img := testimage.PNG(testimage.Checker(40, 40))
	f.handle(KindUnlimited.Path(), serveImage(img, "image/jpeg", -1))
	code, err := f.client().Get(context.Background(), &UnlimitedRequest{Scene: "x", IsHyaline: true})
	require.NoError(t, err)
	assert.Equal(t, FormatPNG, code.Format)
	assert.Equal(t, ".png", code.Format.Ext())
	assert.Equal(t, "image/jpeg", code.ContentType)
	assert.Equal(t, 40, code.Width)
}

func TestErrcodeJSONWithHTTP200(t *testing.T) {
	cases := []struct {
		name, ct, msg string
		code          int
		wantMsg       string
		wantRID       string
	}{
		{"json encoding", "application/json; encoding=utf-8", "invalid page rid: 663b1af7-1f2e3d4c-5b6a7988", 41030, "invalid page", "663b1af7-1f2e3d4c-5b6a7988"},
		{"json charset", "application/json; charset=UTF-8", "invalid scene rid: 669e174a-0a0b0c0d-0e0f1011", 40129, "invalid scene", "669e174a-0a0b0c0d-0e0f1011"},
		{"text plain", "text/plain", "invalid length for path, or the data is not json string hint: [abc123]", 40159, "invalid length for path, or the data is not json string", "abc123"},
		{"no content type", "", "invalid args rid: 663b1af7-00000000-00000000", 40097, "invalid args", "663b1af7-00000000-00000000"},
		{"image label", "image/jpeg", "qrcode count out of limit", 45029, "qrcode count out of limit", ""},
	}
	for _, tc := range cases {
		for _, ep := range endpointCases {
			t.Run(tc.name+"/"+ep.name, func(t *testing.T) {
				f := newFake(t)
				req := ep.req()
				f.handle(req.Kind().Path(), func(w http.ResponseWriter, r *http.Request) {
					if tc.ct == "" {
						w.Header()["Content-Type"] = nil // stop net/http sniffing one
					} else {
						w.Header().Set("Content-Type", tc.ct)
					}
					fmt.Fprintf(w, "  \n{\"errcode\":%d,\"errmsg\":%q}", tc.code, tc.msg)
				})
				_, err := f.client().Get(context.Background(), req)
				var apiErr *APIError
				require.ErrorAs(t, err, &apiErr)
				assert.Equal(t, tc.code, apiErr.Code)
				assert.Equal(t, tc.wantMsg, apiErr.Msg)
				assert.Equal(t, tc.wantRID, apiErr.RID)
				assert.Equal(t, req.Kind().Path(), apiErr.Endpoint)
				if strings.HasPrefix(tc.wantRID, "663b1af7") {
					assert.Equal(t, time.Date(2024, 5, 8, 6, 25, 59, 0, time.UTC), apiErr.Time)
				}
				assert.Len(t, f.requests(req.Kind().Path()), 1, "an errcode about the request is not retried")
			})
		}
	}
}

func TestEmptyHTMLBody(t *testing.T) {
	f := newFake(t)
	f.handle(KindUnlimited.Path(), func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=gbk")
	})
	code, err := f.client().Get(context.Background(), &UnlimitedRequest{Scene: "a"})
	assert.Nil(t, code)
	require.ErrorIs(t, err, ErrEmptyBody)
	assert.Contains(t, err.Error(), "text/html")
}

func TestNonImageBodies(t *testing.T) {
	cases := []struct {
		name, ct string
		body     []byte
		want     error
	}{
		{"html page", "text/html", []byte("<html>502 Bad Gateway</html>"), ErrNotImage},
		{"json without errcode", "application/json", []byte(`{"access_token":"` + testToken + `"}`), ErrNotImage},
		{"errcode 0", "application/json", []byte(`{"errcode":0,"errmsg":"ok"}`), ErrNotImage},
		{"gif", "image/gif", []byte("GIF89a\x01\x00\x01\x00"), ErrNotImage},
		{"broken jpeg", "image/jpeg", []byte("\xff\xd8\xff\xe0garbage"), ErrBadImage},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t)
			f.handle(KindQRCode.Path(), func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", tc.ct)
				w.Write(tc.body)
			})
			_, err := f.client().Get(context.Background(), &QRCodeRequest{Path: "p"})
			require.ErrorIs(t, err, tc.want)
			assertNoSecret(t, err, testToken)
		})
	}
}

func TestIncompleteImageIsAnError(t *testing.T) {
	full := testimage.JPEG(testimage.Checker(64, 64))
	f := newFake(t)
	// Content-Length matches what is sent, so only decoding can tell.
	f.handle(KindLimited.Path(), serveImage(full[:len(full)*2/3], "image/jpeg", 5))
	_, err := f.client(WithRetry(1, 0)).Get(context.Background(), &LimitedRequest{Path: "p"})
	require.ErrorIs(t, err, ErrBadImage)
}

// truncating announces more bytes than it sends; net/http then closes the connection.
func truncating(img []byte) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/jpeg")
		w.Header().Set("Content-Length", fmt.Sprint(len(img)))
		w.Write(img[:len(img)/2])
	}
}

func TestTruncatedBody(t *testing.T) {
	inBubble(t, "", func(t *testing.T, f *fake) {
		img := testimage.JPEG(testimage.Checker(64, 64))
		f.handle(KindUnlimited.Path(), truncating(img))
		code, err := f.client(WithRetry(2, time.Millisecond)).Get(context.Background(), &UnlimitedRequest{Scene: "a"})
		assert.Nil(t, code)
		require.ErrorIs(t, err, ErrTruncated)
		assert.Len(t, f.requests(KindUnlimited.Path()), 2, "a truncated body is retried")
		assertNoSecret(t, err, testToken)
	})
}

func TestTruncatedThenWhole(t *testing.T) {
	inBubble(t, "", func(t *testing.T, f *fake) {
		img := testimage.JPEG(testimage.Checker(64, 64))
		var n atomic.Int32
		f.handle(KindUnlimited.Path(), func(w http.ResponseWriter, r *http.Request) {
			if n.Add(1) == 1 {
				truncating(img)(w, r)
				return
			}
			serveImage(img, "image/jpeg", -1)(w, r)
		})
		code, err := f.client().Get(context.Background(), &UnlimitedRequest{Scene: "a"})
		require.NoError(t, err)
		assert.Equal(t, img, code.Bytes)
	})
}

func TestReadBodyShortOfContentLength(t *testing.T) {
	resp := &http.Response{ContentLength: 10, Body: http.NoBody}
	_, err := readBody(resp, 100)
	require.ErrorIs(t, err, ErrTruncated)
	resp = &http.Response{ContentLength: -1, Body: http.NoBody}
	b, err := readBody(resp, 100)
	require.NoError(t, err)
	assert.Empty(t, b)
	resp = &http.Response{ContentLength: -1, Body: readCloser(strings.Repeat("x", 101))}
	_, err = readBody(resp, 100)
	require.ErrorIs(t, err, ErrTooLarge)
}

func Test503ThenSuccess(t *testing.T) {
	img := testimage.JPEG(testimage.Checker(32, 32))
	for _, tc := range endpointCases {
		inBubble(t, tc.name, func(t *testing.T, f *fake) {
			var n atomic.Int32
			req := tc.req()
			f.handle(req.Kind().Path(), func(w http.ResponseWriter, r *http.Request) {
				if n.Add(1) == 1 {
					http.Error(w, "Service Unavailable", http.StatusServiceUnavailable)
					return
				}
				serveImage(img, "image/jpeg", -1)(w, r)
			})
			code, err := f.client().Get(context.Background(), req)
			require.NoError(t, err)
			assert.Equal(t, FormatJPEG, code.Format)
			assert.EqualValues(t, 2, n.Load())
		})
	}
}

func TestRetriesAreBounded(t *testing.T) {
	inBubble(t, "", func(t *testing.T, f *fake) {
		f.handle(KindUnlimited.Path(), func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "busy", http.StatusBadGateway)
		})
		_, err := f.client(WithRetry(4, time.Millisecond)).Get(context.Background(), &UnlimitedRequest{Scene: "a"})
		var re *RequestError
		require.ErrorAs(t, err, &re)
		assert.Equal(t, http.StatusBadGateway, re.Status)
		assert.Contains(t, err.Error(), "HTTP 502")
		assert.Len(t, f.requests(KindUnlimited.Path()), 4)
	})
}

func TestSystemErrorRetried(t *testing.T) {
	inBubble(t, "", func(t *testing.T, f *fake) {
		img := testimage.JPEG(testimage.Checker(16, 16))
		var n atomic.Int32
		f.handle(KindLimited.Path(), func(w http.ResponseWriter, r *http.Request) {
			if n.Add(1) <= 2 {
				serveErr(-1, "system error rid: 663b1af7-1-2", "application/json; encoding=utf-8")(w, r)
				return
			}
			serveImage(img, "image/jpeg", 9)(w, r)
		})
		code, err := f.client().Get(context.Background(), &LimitedRequest{Path: "p"})
		require.NoError(t, err)
		assert.Equal(t, 9, code.NumUsed)
		assert.EqualValues(t, 3, n.Load())
	})
}

func TestClientErrorStatusIsNotRetried(t *testing.T) {
	f := newFake(t)
	f.handle(KindUnlimited.Path(), func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "nope", http.StatusForbidden)
	})
	_, err := f.client().Get(context.Background(), &UnlimitedRequest{Scene: "a"})
	var re *RequestError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, http.StatusForbidden, re.Status)
	assert.Len(t, f.requests(KindUnlimited.Path()), 1)
}

func TestRateLimit45009(t *testing.T) {
	inBubble(t, "", func(t *testing.T, f *fake) {
		f.handle(KindUnlimited.Path(), serveErr(45009, "reach max api daily quota limit rid: 663b1af7-1-2", "application/json; encoding=utf-8"))
		// The bubble's clock starts on a minute; 15 s into it the next one is 45 s away.
		minute := time.Now().Truncate(time.Minute)
		time.Sleep(15 * time.Second)
		_, err := f.client().Get(context.Background(), &UnlimitedRequest{Scene: "a"})
		var rl *RateLimitError
		require.ErrorAs(t, err, &rl)
		assert.Equal(t, minute.Add(time.Minute), rl.NextMinute)
		var apiErr *APIError
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, 45009, apiErr.Code)
		assert.Contains(t, err.Error(), "next minute starts at "+rl.NextMinute.Local().Format("15:04:05"))
		assert.Len(t, f.requests(KindUnlimited.Path()), 1, "45009 is not retried")
	})
}

func TestTokenRefreshOn40001Once(t *testing.T) {
	for _, code := range []int{40001, 40014, 42001} {
		t.Run(fmt.Sprint(code), func(t *testing.T) {
			f := newFake(t)
			f.handle(KindUnlimited.Path(), serveErr(code, "invalid credential, access_token is invalid or not latest rid: 663b1af7-1-2", "application/json; encoding=utf-8"))
			src := &countingSource{}
			_, err := f.client(WithTokenSource(src)).Get(context.Background(), &UnlimitedRequest{Scene: "a"})
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, code, apiErr.Code)
			reqs := f.requests(KindUnlimited.Path())
			require.Len(t, reqs, 2, "one call, one retry with the renewed token, no loop")
			assert.Equal(t, testToken+"-1", reqs[0].Token)
			assert.Equal(t, testToken+"-2", reqs[1].Token)
			assert.EqualValues(t, 2, src.fetches.Load())
			assert.Equal(t, []string{testToken + "-1"}, src.invalidated)
			assertNoSecret(t, err, testToken)
		})
	}
}

func TestTokenRefreshThenSuccess(t *testing.T) {
	img := testimage.JPEG(testimage.Checker(16, 16))
	f := newFake(t)
	f.handle(KindLimited.Path(), func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("access_token") == testToken+"-1" {
			serveErr(42001, "access_token expired", "application/json")(w, r)
			return
		}
		serveImage(img, "image/jpeg", 3)(w, r)
	})
	src := &countingSource{}
	code, err := f.client(WithTokenSource(src)).Get(context.Background(), &LimitedRequest{Path: "p"})
	require.NoError(t, err)
	assert.Equal(t, 3, code.NumUsed)
	assert.Len(t, f.requests(KindLimited.Path()), 2)
}

func TestFixedTokenNotRetriedOn40001(t *testing.T) {
	f := newFake(t)
	f.handle(KindUnlimited.Path(), serveErr(40001, "invalid credential", "application/json"))
	_, err := f.client().Get(context.Background(), &UnlimitedRequest{Scene: "a"})
	require.True(t, IsTokenError(err))
	assert.Len(t, f.requests(KindUnlimited.Path()), 1, "the same token again cannot help")
}

func TestCancellation(t *testing.T) {
	inBubble(t, "", func(t *testing.T, f *fake) {
		f.handle(KindUnlimited.Path(), func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
		ctx, cancel := context.WithCancel(context.Background())
		go func() {
			synctest.Wait() // the call is in the handler, and nothing else can move
			cancel()
		}()
		_, err := f.client(WithRetry(4, time.Millisecond)).Get(ctx, &UnlimitedRequest{Scene: "a"})
		require.ErrorIs(t, err, context.Canceled)
		assert.Len(t, f.requests(KindUnlimited.Path()), 1, "a cancelled call is not retried")
		assert.NotErrorIs(t, err, ErrNotSent, "it had been sent")
		assertNoSecret(t, err, testToken)

		// Already cancelled: nothing is sent.
		_, err = f.client().Get(ctx, &UnlimitedRequest{Scene: "a"})
		require.ErrorIs(t, err, context.Canceled)
		assert.ErrorIs(t, err, ErrNotSent)
		assert.Len(t, f.requests(KindUnlimited.Path()), 1)
	})
}

// TestBackoffRunsOnTheClock: the delays between attempts double from the
// base, with jitter keeping each between half and all of its step.
func TestBackoffRunsOnTheClock(t *testing.T) {
	inBubble(t, "", func(t *testing.T, f *fake) {
		var at []time.Time
		f.handle(KindUnlimited.Path(), func(w http.ResponseWriter, r *http.Request) {
			at = append(at, time.Now())
			http.Error(w, "busy", http.StatusBadGateway)
		})
		_, err := f.client(WithRetry(4, time.Second)).Get(context.Background(), &UnlimitedRequest{Scene: "a"})
		require.Error(t, err)
		require.Len(t, at, 4)
		for i, step := range []time.Duration{time.Second, 2 * time.Second, 4 * time.Second} {
			gap := at[i+1].Sub(at[i])
			assert.GreaterOrEqual(t, gap, step/2, "delay %d", i+1)
			assert.LessOrEqual(t, gap, step, "delay %d", i+1)
		}
	})
}

func TestCancelDuringBackoff(t *testing.T) {
	inBubble(t, "", func(t *testing.T, f *fake) {
		f.handle(KindUnlimited.Path(), func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "down", http.StatusServiceUnavailable)
		})
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		start := time.Now()
		_, err := f.client(WithRetry(4, time.Hour)).Get(ctx, &UnlimitedRequest{Scene: "a"})
		require.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Contains(t, err.Error(), "gave up retrying after")
		assert.Len(t, f.requests(KindUnlimited.Path()), 1)
		assert.Equal(t, 50*time.Millisecond, time.Since(start), "fake clock: the back-off ended at the deadline")
	})
}

func TestBodySentLiterally(t *testing.T) {
	img := testimage.JPEG(testimage.Checker(8, 8))
	f := newFake(t)
	for _, k := range Kinds {
		f.handle(k.Path(), serveImage(img, "image/jpeg", -1))
	}
	c := f.client()
	ctx := context.Background()
	_, err := c.Get(ctx, &UnlimitedRequest{Scene: "a=1&b=2", Page: "pages/x", CheckPath: Bool(false)})
	require.NoError(t, err)
	_, err = c.Get(ctx, &LimitedRequest{Path: "pages/x?a=1&b=<2>"})
	require.NoError(t, err)
	_, err = c.Get(ctx, &QRCodeRequest{Path: "p?a=<b>&c=1"})
	require.NoError(t, err)

	ub := string(f.requests(KindUnlimited.Path())[0].Body)
	assert.Contains(t, ub, `"scene":"a=1&b=2"`)
	assert.Contains(t, ub, `"check_path":false`)
	assert.NotContains(t, ub, "env_version")
	assert.NotContains(t, ub, `\u`)
	lb := string(f.requests(KindLimited.Path())[0].Body)
	assert.Contains(t, lb, `"path":"pages/x?a=1&b=<2>"`)
	assert.NotContains(t, lb, "env_version")
	assert.NotContains(t, lb, `\u`)
	qb := string(f.requests(KindQRCode.Path())[0].Body)
	assert.Contains(t, qb, `"path":"p?a=<b>&c=1"`)

	var m map[string]any
	require.NoError(t, json.Unmarshal([]byte(ub), &m))
	assert.Equal(t, false, m["check_path"])
	_, has := m["env_version"]
	assert.False(t, has)
}

func TestEnvVersionSentWhenSet(t *testing.T) {
	f := newFake(t)
	f.handle(KindUnlimited.Path(), serveImage(testimage.JPEG(testimage.Checker(8, 8)), "image/jpeg", -1))
	_, err := f.client().Get(context.Background(), &UnlimitedRequest{Scene: "a", EnvVersion: "trial", CheckPath: Bool(true)})
	require.NoError(t, err)
	b := string(f.requests(KindUnlimited.Path())[0].Body)
	assert.Contains(t, b, `"env_version":"trial"`)
	assert.Contains(t, b, `"check_path":true`)
}

func TestInvalidRequestMakesNoCall(t *testing.T) {
	f := newFake(t)
	c := f.client()
	for _, req := range []Request{
		&UnlimitedRequest{Scene: ""},
		&UnlimitedRequest{Scene: "a b"},
		&LimitedRequest{Path: ""},
		&QRCodeRequest{Path: strings.Repeat("a", 129)},
		&UnlimitedRequest{Scene: "a", EnvVersion: "prod"},
	} {
		_, err := c.Get(context.Background(), req)
		var ve *ValidationError
		require.ErrorAs(t, err, &ve)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	assert.Empty(t, f.reqs)
}

func TestRequestURLRedacted(t *testing.T) {
	c := NewClient(WithBaseURL("https://example.test/"), WithTokenSource(NewFixedToken(testToken)))
	assert.Equal(t, "https://example.test/wxa/getwxacodeunlimit?access_token=REDACTED", c.RequestURL(KindUnlimited))
	assert.Equal(t, "https://example.test/cgi-bin/wxaapp/createwxaqrcode?access_token=REDACTED", c.RequestURL(KindQRCode))
	assert.Nil(t, c.Ledger())
	tok, err := c.Token(context.Background())
	require.NoError(t, err)
	assert.Equal(t, testToken, tok.Value)
}

func TestNoTokenSource(t *testing.T) {
	f := newFake(t)
	c := NewClient(WithBaseURL(f.URL))
	_, err := c.Get(context.Background(), &UnlimitedRequest{Scene: "a"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "no access token")
	f.mu.Lock()
	defer f.mu.Unlock()
	assert.Empty(t, f.reqs)
}

// TestNoErrorContainsToken drives every error path and checks each message.
func TestNoErrorContainsToken(t *testing.T) {
	img := testimage.JPEG(testimage.Checker(16, 16))
	handlers := map[string]http.HandlerFunc{
		"errcode echoing token": serveErr(40001, "invalid credential "+testToken+" rid: 663b1af7-1-2", "application/json"),
		"rate limit":            serveErr(45009, "reach max api daily quota limit", "application/json"),
		"system error":          serveErr(-1, "system error", "application/json"),
		"503 echoing url": func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "bad gateway for "+r.URL.String(), http.StatusServiceUnavailable)
		},
		"403 echoing url": func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "forbidden "+r.URL.RawQuery, http.StatusForbidden)
		},
		"text echoing token": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprintf(w, "<html>token %s</html>", testToken)
		},
		"json echoing token": func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprintf(w, `{"note":"%s"}`, testToken)
		},
		"empty":     func(w http.ResponseWriter, r *http.Request) { w.Header().Set("Content-Type", "text/html") },
		"truncated": truncating(img),
		"bad image": serveImage([]byte("\x89PNG\r\n\x1a\nbroken"), "image/jpeg", -1),
		"slow": func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-time.After(2 * time.Second):
			}
		},
	}
	for name, h := range handlers {
		inBubble(t, name, func(t *testing.T, f *fake) {
			f.handle(KindUnlimited.Path(), h)
			hc := &http.Client{Transport: f.http.Transport, Timeout: 100 * time.Millisecond}
			_, err := f.client(WithHTTPClient(hc), WithRetry(2, time.Millisecond)).Get(context.Background(), &UnlimitedRequest{Scene: "a"})
			require.Error(t, err)
			assertNoSecret(t, err, testToken)
		})
	}
	t.Run("connection refused", func(t *testing.T) {
		f := newFake(t)
		url := f.URL
		f.Close()
		c := NewClient(WithBaseURL(url), WithTokenSource(NewFixedToken(testToken)), WithRetry(1, 0))
		_, err := c.Get(context.Background(), &UnlimitedRequest{Scene: "a"})
		require.Error(t, err)
		assertNoSecret(t, err, testToken)
		assert.Contains(t, err.Error(), "access_token=REDACTED")
	})
	t.Run("bad base url", func(t *testing.T) {
		c := NewClient(WithBaseURL("http://[::1"), WithTokenSource(NewFixedToken(testToken)))
		_, err := c.Get(context.Background(), &UnlimitedRequest{Scene: "a"})
		require.Error(t, err)
		assertNoSecret(t, err, testToken)
	})
	inBubble(t, "timeout is retried", func(t *testing.T, f *fake) {
		var n atomic.Int32
		f.handle(KindUnlimited.Path(), func(w http.ResponseWriter, r *http.Request) {
			n.Add(1)
			<-r.Context().Done()
		})
		hc := &http.Client{Transport: f.http.Transport, Timeout: 50 * time.Millisecond}
		_, err := f.client(WithHTTPClient(hc), WithRetry(2, time.Millisecond)).Get(context.Background(), &UnlimitedRequest{Scene: "a"})
		require.Error(t, err)
		assert.EqualValues(t, 2, n.Load())
		assertNoSecret(t, err, testToken)
	})
}

func TestLedgerRecordedByClient(t *testing.T) {
	img := testimage.JPEG(testimage.Checker(8, 8))
	f := newFake(t)
	f.handle(KindLimited.Path(), serveImage(img, "image/jpeg", 77))
	f.handle(KindUnlimited.Path(), serveImage(img, "image/jpeg", -1))
	l, err := NewLedger(t.TempDir() + "/ledger.json")
	require.NoError(t, err)
	c := f.client(WithLedger(l))
	assert.Same(t, l, c.Ledger())
	_, err = c.Get(context.Background(), &LimitedRequest{Path: "p?id=1"})
	require.NoError(t, err)
	_, err = c.Get(context.Background(), &UnlimitedRequest{Scene: "a"})
	require.NoError(t, err)
	assert.Equal(t, 1, l.Distinct())
	assert.Equal(t, 77, l.NumUsed())
	assert.True(t, l.Seen(Params{Kind: KindLimited, Path: "p?id=1"}))
	assert.NoError(t, l.Err())
}

func TestUserAgent(t *testing.T) {
	f := newFake(t)
	var ua atomic.Value
	f.handle(KindUnlimited.Path(), func(w http.ResponseWriter, r *http.Request) {
		ua.Store(r.UserAgent())
		serveImage(testimage.JPEG(testimage.Checker(8, 8)), "image/jpeg", -1)(w, r)
	})
	_, err := f.client(WithUserAgent("wxacode-test/1")).Get(context.Background(), &UnlimitedRequest{Scene: "a"})
	require.NoError(t, err)
	assert.Equal(t, "wxacode-test/1", ua.Load())
}

func TestRetryableClassification(t *testing.T) {
	ctx := context.Background()
	assert.True(t, retryable(ctx, &APIError{Code: -1}))
	assert.False(t, retryable(ctx, &APIError{Code: 40129}))
	assert.True(t, retryable(ctx, &RequestError{Status: 500}))
	assert.False(t, retryable(ctx, &RequestError{Status: 404}))
	assert.True(t, retryable(ctx, &RequestError{Err: ErrTruncated}))
	assert.False(t, retryable(ctx, &RequestError{Err: context.Canceled}))
	assert.False(t, retryable(ctx, errors.New("other")))
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	assert.False(t, retryable(cctx, &APIError{Code: -1}))
}

func TestBackoffBoundedWithJitter(t *testing.T) {
	for n := 1; n < 40; n++ {
		d := backoff(100*time.Millisecond, n)
		full := min(100*time.Millisecond<<min(n-1, 20), maxRetryDelay)
		assert.GreaterOrEqual(t, d, full/2)
		assert.LessOrEqual(t, d, full)
	}
	assert.Zero(t, backoff(0, 3))
}

// CountRetries counts the retries after a transient failure (here two -1s)
// and not the retry after a token renewal, which no push-back caused;
// CountAttempts counts every request sent.
func TestCountRetries(t *testing.T) {
	inBubble(t, "", func(t *testing.T, f *fake) {
		img := testimage.JPEG(testimage.Checker(16, 16))
		var n atomic.Int32
		f.handle(KindLimited.Path(), func(w http.ResponseWriter, r *http.Request) {
			switch n.Add(1) {
			case 1:
				serveErr(42001, "access_token expired", "application/json")(w, r)
			case 2, 3:
				serveErr(-1, "system error", "application/json")(w, r)
			default:
				serveImage(img, "image/jpeg", 1)(w, r)
			}
		})
		var sent, retried atomic.Int64
		ctx := CountRetries(CountAttempts(context.Background(), &sent), &retried)
		_, err := f.client(WithTokenSource(&countingSource{})).Get(ctx, &LimitedRequest{Path: "p"})
		require.NoError(t, err)
		assert.EqualValues(t, 4, sent.Load(), "every request")
		assert.EqualValues(t, 2, retried.Load(), "the two after -1, not the one after the renewal")
	})
}
