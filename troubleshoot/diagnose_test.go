package troubleshoot

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/codeimage"
	"wxacode/wechat"
)

func apiErr(code int, msg, endpoint string) *wechat.APIError {
	return &wechat.APIError{Code: code, Msg: msg, RID: "663b1af7-1f2e3d4c-5b6a7988", Endpoint: endpoint}
}

// findings joins the findings for substring checks.
func findings(d Diagnosis) string { return strings.Join(d.Findings, "\n") }

func actionIDs(d Diagnosis) []string {
	var ids []string
	for _, a := range d.Actions {
		ids = append(ids, a.ID)
	}
	return ids
}

func action(t *testing.T, d Diagnosis, id string) Action {
	t.Helper()
	for _, a := range d.Actions {
		if a.ID == id {
			return a
		}
	}
	t.Fatalf("no action %s in %v", id, actionIDs(d))
	return Action{}
}

func TestDiagnoseFindings(t *testing.T) {
	unl := func(p wechat.Params) wechat.Request { p.Kind = wechat.KindUnlimited; return p.Request() }
	lim := func(path string) wechat.Request { return &wechat.LimitedRequest{Path: path} }
	qr := func(path string) wechat.Request { return &wechat.QRCodeRequest{Path: path} }
	rateErr := &wechat.RateLimitError{API: apiErr(45009, "reach max api daily quota limit", wechat.KindUnlimited.Path()),
		NextMinute: time.Date(2024, 5, 8, 6, 26, 0, 0, time.Local)}

	tests := []struct {
		name    string
		req     wechat.Request
		err     error
		code    int
		want    []string // substrings of the findings
		actions []string // action IDs, in order
	}{
		{name: "41030 leading slash",
			req: unl(wechat.Params{Scene: "id=1", Page: "/pages/index/index"}), err: apiErr(41030, "invalid page", ""),
			code: 41030, want: []string{`"/pages/index/index" starts with /`, "pages/index/index"}, actions: []string{ActionStripSlash}},
		{name: "41030 query in page",
			req: unl(wechat.Params{Page: "pages/shop/item?a=1&b=2", Scene: ""}), err: apiErr(41030, "invalid page", ""),
			code: 41030, want: []string{"carries a query", `scene "a=1&b=2"`}, actions: []string{ActionQueryToScene}},
		{name: "41030 query appended to existing scene",
			req: unl(wechat.Params{Page: "pages/shop/item?b=2", Scene: "a=1"}), err: apiErr(41030, "invalid page", ""),
			code: 41030, want: []string{`scene "a=1&b=2"`}, actions: []string{ActionQueryToScene}},
		{name: "41030 slash and query: one action does both",
			req: unl(wechat.Params{Page: "/pages/shop/item?b=2", Scene: "a=1"}), err: apiErr(41030, "invalid page", ""),
			code: 41030, want: []string{"starts with /", "carries a query"}, actions: []string{ActionQueryToScene}},
		{name: "41030 query that does not fit",
			req:  unl(wechat.Params{Page: "pages/shop/item?name=%E4%B8%AD&ref=abcdefghijklmnopqrstuvwxyz", Scene: "x"}),
			err:  apiErr(41030, "invalid page", ""),
			code: 41030, want: []string{"would not fit", "wxacode scene fit"}},
		{name: "41030 slash plus query that does not fit: strip-slash remains",
			req:  unl(wechat.Params{Page: "/pages/a?q=%20", Scene: "x"}),
			err:  apiErr(41030, "invalid page", ""),
			code: 41030, want: []string{"would not fit"}, actions: []string{ActionStripSlash}},
		{name: "41030 unreleased page, check_path default",
			req: unl(wechat.Params{Scene: "id=1", Page: "pages/new/new"}), err: apiErr(41030, "invalid page", ""),
			code: 41030, want: []string{`"pages/new/new" is not in the released version`, "check_path is on"},
			actions: []string{ActionCheckPathOff, ActionCheckPathOffTrial, ActionCheckPathOffDevelop}},
		{name: "41030 env_version develop does not relax",
			req:  unl(wechat.Params{Scene: "id=1", Page: "healthReport/report/report", CheckPath: wechat.Bool(true), EnvVersion: "develop"}),
			err:  apiErr(41030, "invalid page", ""),
			code: 41030, want: []string{`env_version "develop" does not relax the page check`}, actions: []string{ActionCheckPathOff}},
		{name: "41030 env_version trial does not relax",
			req:  unl(wechat.Params{Scene: "id=1", Page: "p/a", EnvVersion: "trial"}),
			err:  apiErr(41030, "invalid page", ""),
			code: 41030, want: []string{`env_version "trial" does not relax`}, actions: []string{ActionCheckPathOff}},
		{name: "41030 check_path already off",
			req: unl(wechat.Params{Scene: "id=1", Page: "p/a", CheckPath: wechat.Bool(false)}), err: apiErr(41030, "invalid page", ""),
			code: 41030, want: []string{"check_path is already false", "60,000"}},
		{name: "41030 empty page",
			req: unl(wechat.Params{Scene: "id=1"}), err: apiErr(41030, "invalid page", ""),
			code: 41030, want: []string{"no released version"},
			actions: []string{ActionCheckPathOff, ActionCheckPathOffTrial, ActionCheckPathOffDevelop}},
		{name: "40164 ip from errmsg",
			req:  unl(wechat.Params{Scene: "id=1"}),
			err:  fmt.Errorf("get access token: %w", apiErr(40164, "invalid ip 1.2.3.4 ipv6 ::ffff:1.2.3.4, not in whitelist", "/cgi-bin/stable_token")),
			code: 40164, want: []string{"from 1.2.3.4", "add 1.2.3.4 to", "开发管理 → 开发设置 → IP白名单", "Development → Development settings → IP whitelist"}},
		{name: "40164 old errmsg shape",
			req: nil, err: apiErr(40164, "invalid ip 203.0.113.9, not in whitelist", "/cgi-bin/token"),
			code: 40164, want: []string{"add 203.0.113.9 to"}},
		{name: "40164 ipv6 only",
			req: nil, err: apiErr(40164, "invalid ip 2001:db8::1, not in whitelist", "/cgi-bin/token"),
			code: 40164, want: []string{"add 2001:db8::1 to"}},
		{name: "40164 no ip",
			req: nil, err: apiErr(40164, "not in whitelist", ""),
			code: 40164, want: []string{"did not say which IP", "IP白名单"}},
		{name: "40001 token fight",
			req: unl(wechat.Params{Scene: "id=1"}), err: apiErr(40001, "invalid credential, access_token is invalid or not latest", ""),
			code: 40001, want: []string{"/cgi-bin/token", "stable", "token_cmd", "central"}},
		{name: "40014", req: nil, err: apiErr(40014, "invalid access_token", ""), code: 40014, want: []string{"malformed"}},
		{name: "42001", req: nil, err: apiErr(42001, "access_token expired", ""), code: 42001, want: []string{"expired"}},
		{name: "40129 names characters and positions",
			req: unl(wechat.Params{Scene: "a b%c"}), err: apiErr(40129, "invalid scene", ""),
			code: 40129, want: []string{"scene (character 2): a space", "scene (character 4): '%'"}},
		{name: "40129 valid scene with & suspects escaping",
			req: unl(wechat.Params{Scene: "a=1&b=2"}), err: apiErr(40129, "invalid scene", ""),
			code: 40129, want: []string{`\u0026`, "SetEscapeHTML(false)"}},
		{name: "40129 valid scene without &",
			req: unl(wechat.Params{Scene: "id=42"}), err: apiErr(40129, "invalid scene", ""),
			code: 40129, want: []string{"passes the local check", `\u0026`}},
		{name: "40169 too long with length",
			req: unl(wechat.Params{Scene: strings.Repeat("x", 40)}), err: apiErr(40169, "invalid length for scene, or the data is not json string", ""),
			code: 40169, want: []string{"40 characters, 8 over the limit of 32"}},
		{name: "40169 empty",
			req: unl(wechat.Params{Scene: ""}), err: apiErr(40169, "invalid length for scene", ""),
			code: 40169, want: []string{"scene is empty"}},
		{name: "40169 escaped form too long",
			req: unl(wechat.Params{Scene: "a=1&b=2&c=3&d=4&e=5&f=6"}), err: apiErr(40169, "invalid length for scene", ""),
			code: 40169, want: []string{"23 characters here, but 48 once"}},
		{name: "40169 fits here",
			req: unl(wechat.Params{Scene: "id=1"}), err: apiErr(40169, "invalid length for scene", ""),
			code: 40169, want: []string{"4 characters here (limit 32)"}},
		{name: "40097 empty env_version",
			req: unl(wechat.Params{Scene: "id=1"}), err: apiErr(40097, "invalid args", ""),
			code: 40097, want: []string{`env_version:""`, "omit"}},
		{name: "40097 invalid env_version",
			req: &wechat.LimitedRequest{Path: "p/a", EnvVersion: "beta"}, err: apiErr(40097, "invalid args", ""),
			code: 40097, want: []string{`"beta"`, "release, trial or develop"}},
		{name: "45029 use unlimited",
			req: lim("pages/detail/detail?id=1766"), err: apiErr(45029, "qrcode count out of limit", ""),
			code: 45029, want: []string{`page "pages/detail/detail" with scene "id=1766"`, "query.scene"}, actions: []string{ActionUseUnlimited}},
		{name: "45029 qrcode with leading slash",
			req: qr("/pages/detail/detail?id=1"), err: apiErr(45029, "qrcode count out of limit", ""),
			code: 45029, actions: []string{ActionUseUnlimited}},
		{name: "45029 query does not fit",
			req: lim("pages/a?name=%E4%B8%AD"), err: apiErr(45029, "qrcode count out of limit", ""),
			code: 45029, want: []string{"does not fit in a scene", "wxacode scene fit"}},
		{name: "45029 no query",
			req: lim("pages/a"), err: apiErr(45029, "qrcode count out of limit", ""),
			code: 45029, want: []string{"no query"}},
		{name: "45009 next minute",
			req: unl(wechat.Params{Scene: "id=1"}), err: rateErr,
			code: 45009, want: []string{"5000 calls a minute", "retry after 06:26:00"}},
		{name: "45009 next minute from the rid time",
			req: unl(wechat.Params{Scene: "id=1"}), err: &wechat.APIError{Code: 45009, Msg: "reach max api daily quota limit",
				RID: "663b1af7-1f2e3d4c-5b6a7988", Time: wechat.RIDTime("663b1af7-1f2e3d4c-5b6a7988")},
			code: 45009, want: []string{"retry after " + time.Date(2024, 5, 8, 6, 26, 0, 0, time.UTC).Local().Format("15:04:05")}},
		{name: "45009 limited is daily",
			req: lim("p/a?x=1"), err: &wechat.RateLimitError{API: apiErr(45009, "reach max api daily quota limit", wechat.KindLimited.Path()), NextMinute: rateErr.NextMinute},
			code: 45009, want: []string{"10,000 new codes a day", "tomorrow"}},
		{name: "45009 token endpoint",
			req: nil, err: fmt.Errorf("get access token: %w", apiErr(45009, "reach max api daily quota limit", "/cgi-bin/token")),
			code: 45009, want: []string{"clear_quota"}},
		{name: "45009 stable_token force refreshes",
			req: nil, err: fmt.Errorf("get access token: %w", apiErr(45009, "reach max api daily quota limit", wechat.StableTokenPath)),
			code: 45009, want: []string{"20 force refreshes"}},
		{name: "61004 ip",
			req: nil, err: apiErr(61004, "access clientip is not registered, requestIP: 203.0.113.9", ""),
			code: 61004, want: []string{"203.0.113.9", "open.weixin.qq.com"}},
		{name: "45011", req: nil, err: &wechat.RateLimitError{API: apiErr(45011, "api minute-quota reach limit", ""), NextMinute: rateErr.NextMinute},
			code: 45011, want: []string{"06:26:00"}},
		{name: "47001 body shown",
			req: unl(wechat.Params{Scene: "id=1", Hyaline: true}), err: apiErr(47001, "data format error", ""),
			code: 47001, want: []string{`"is_hyaline":true`, "is_hyaline:1", "not JSON"}},
		{name: "40159 empty path",
			req: lim(""), err: apiErr(40159, "invalid length for path", ""),
			code: 40159, want: []string{"path is empty"}},
		{name: "40159 too long for qrcode",
			req: qr("pages/a?x=" + strings.Repeat("y", 200)), err: apiErr(40159, "invalid length for path", ""),
			code: 40159, want: []string{"210 bytes, over the 128-byte limit"}},
		{name: "40159 page instead of path",
			req: lim("pages/a"), err: apiErr(40159, "invalid length for path", ""),
			code: 40159, want: []string{"path (not page)"}},
		{name: "48001 wrong account",
			req: unl(wechat.Params{Scene: "id=1"}), err: apiErr(48001, "api unauthorized", ""),
			code: 48001, want: []string{"component_access_token", "公众号"}},
		{name: "85096 page",
			req: unl(wechat.Params{Scene: "id=1", Page: "p/a"}), err: apiErr(85096, "not allow include scancode_time field", ""),
			code: 85096},
		{name: "85096 path",
			req: lim("p/a?scancode_time=1"), err: apiErr(85096, "page or path not allow include scancode_time field", ""),
			code: 85096, want: []string{`path "p/a?scancode_time=1" contains scancode_time`}},
		{name: "40189 width", req: unl(wechat.Params{Scene: "id=1", Width: 1300}), err: apiErr(40189, "invalid width", ""),
			code: 40189, want: []string{"width is 1300"}},
		{name: "-1", req: nil, err: apiErr(-1, "system error", ""), code: -1, want: []string{"transient"}},
		{name: "unknown code", req: nil, err: apiErr(99999, "something", ""), code: 99999},
		{name: "89503 ip", req: nil, err: apiErr(89503, "please confirm ip 198.51.100.7", ""), code: 89503,
			want: []string{"198.51.100.7"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Diagnose(tt.req, tt.err)
			assert.Equal(t, tt.code, d.Hint.Code)
			assert.NotEmpty(t, d.Hint.Title)
			for _, w := range tt.want {
				assert.Contains(t, findings(d), w)
			}
			assert.Equal(t, tt.actions, actionIDs(d))
			s := d.String()
			assert.Contains(t, s, fmt.Sprintf("errcode %d: ", tt.code))
			for _, a := range d.Actions {
				assert.Contains(t, s, a.ID+": "+a.Label)
			}
		})
	}
}

// Each action's Params must be a request that passes validation, with only
// the fix changed.
func TestDiagnoseActionsProduceValidRequests(t *testing.T) {
	green := &wechat.Color{R: 26, G: 173, B: 25}
	base := wechat.Params{Kind: wechat.KindUnlimited, Scene: "id=1", Width: 600, LineColor: green, EnvVersion: "trial"}
	withPage := func(page string) wechat.Params { p := base; p.Page = page; return p }

	t.Run("strip-slash", func(t *testing.T) {
		d := Diagnose(withPage("/pages/index/index").Request(), apiErr(41030, "invalid page", ""))
		a := action(t, d, ActionStripSlash)
		require.NoError(t, a.Params.Validate())
		assert.Equal(t, "pages/index/index", a.Params.Page)
		assert.Equal(t, "id=1", a.Params.Scene)
		assert.Equal(t, 600, a.Params.Width)
		assert.Equal(t, "trial", a.Params.EnvVersion)
		assert.Equal(t, *green, *a.Params.LineColor)
	})
	t.Run("query-to-scene", func(t *testing.T) {
		d := Diagnose(withPage("/pages/shop/item?b=2&c=3").Request(), apiErr(41030, "invalid page", ""))
		a := action(t, d, ActionQueryToScene)
		require.NoError(t, a.Params.Validate())
		assert.Equal(t, "pages/shop/item", a.Params.Page)
		assert.Equal(t, "id=1&b=2&c=3", a.Params.Scene)
	})
	t.Run("check-path-off", func(t *testing.T) {
		p := withPage("pages/new/new")
		p.CheckPath = wechat.Bool(true)
		d := Diagnose(p.Request(), apiErr(41030, "invalid page", ""))
		a := action(t, d, ActionCheckPathOff)
		require.NoError(t, a.Params.Validate())
		require.NotNil(t, a.Params.CheckPath)
		assert.False(t, *a.Params.CheckPath)
		assert.True(t, *p.CheckPath, "the original request is not changed")
		assert.Equal(t, "pages/new/new", a.Params.Page)
		body, err := a.Params.Request().Body()
		require.NoError(t, err)
		assert.Contains(t, string(body), `"check_path":false`)
	})
	t.Run("use-unlimited from limited", func(t *testing.T) {
		p := wechat.Params{Kind: wechat.KindLimited, Path: "pages/detail/detail?id=1766", Width: 500, Hyaline: true, EnvVersion: "develop"}
		d := Diagnose(p.Request(), apiErr(45029, "qrcode count out of limit", ""))
		a := action(t, d, ActionUseUnlimited)
		require.NoError(t, a.Params.Validate())
		assert.Equal(t, wechat.KindUnlimited, a.Params.Kind)
		assert.Equal(t, "pages/detail/detail", a.Params.Page)
		assert.Equal(t, "id=1766", a.Params.Scene)
		assert.Empty(t, a.Params.Path)
		assert.Equal(t, 500, a.Params.Width)
		assert.True(t, a.Params.Hyaline)
		assert.Equal(t, "develop", a.Params.EnvVersion)
		// develop codes usually open unreleased pages: without check_path:false
		// the fix would trade 45029 for 41030.
		require.NotNil(t, a.Params.CheckPath)
		assert.False(t, *a.Params.CheckPath)
		assert.Contains(t, a.Label, "check_path:false")
		assert.Contains(t, findings(d), "whatever env_version says")
	})
	t.Run("use-unlimited from a release code keeps check_path default", func(t *testing.T) {
		p := wechat.Params{Kind: wechat.KindLimited, Path: "pages/detail/detail?id=1766"}
		d := Diagnose(p.Request(), apiErr(45029, "qrcode count out of limit", ""))
		a := action(t, d, ActionUseUnlimited)
		require.NoError(t, a.Params.Validate())
		assert.Nil(t, a.Params.CheckPath)
	})
	t.Run("empty query is dropped", func(t *testing.T) {
		d := Diagnose(withPage("pages/index/index?").Request(), apiErr(41030, "invalid page", ""))
		a := action(t, d, ActionQueryToScene)
		require.NoError(t, a.Params.Validate())
		assert.Equal(t, "pages/index/index", a.Params.Page)
		assert.Equal(t, "id=1", a.Params.Scene)
		assert.Equal(t, "drop the empty ? from page", a.Label)
		assert.Contains(t, findings(d), "ends with ?")
	})
	t.Run("use-unlimited from qrcode", func(t *testing.T) {
		d := Diagnose(&wechat.QRCodeRequest{Path: "/pages/a?x=1"}, apiErr(45029, "qrcode count out of limit", ""))
		a := action(t, d, ActionUseUnlimited)
		require.NoError(t, a.Params.Validate())
		assert.Equal(t, "pages/a", a.Params.Page)
		assert.Equal(t, "x=1", a.Params.Scene)
	})
	t.Run("actions never alias the request", func(t *testing.T) {
		p := withPage("/pages/index/index")
		d := Diagnose(p.Request(), apiErr(41030, "invalid page", ""))
		a := action(t, d, ActionStripSlash)
		a.Params.LineColor.R = 1
		assert.Equal(t, 26, green.R)
	})
}

func TestDiagnoseValidationError(t *testing.T) {
	req := &wechat.UnlimitedRequest{Scene: "a b", Page: "/pages/a?x=1", Width: 100}
	err := req.Validate()
	require.Error(t, err)
	d := Diagnose(req, err)
	var ve *wechat.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, ve.Problems[0].Code, d.Hint.Code)
	assert.Equal(t, 40129, d.Hint.Code)
	require.Len(t, d.Findings, len(ve.Problems)+2, "every problem, plus the query that does not fit and scene fit")
	for i, pr := range ve.Problems {
		assert.Equal(t, pr.String(), d.Findings[i])
	}
	// The query cannot join "a b" (a space), so only strip-slash is offered.
	assert.Equal(t, []string{ActionStripSlash}, actionIDs(d))

	// Diagnose(req, nil) validates on its own.
	assert.Equal(t, d, Diagnose(req, nil))

	t.Run("page problems give actions", func(t *testing.T) {
		req := &wechat.UnlimitedRequest{Scene: "id=1", Page: "/pages/a?x=1"}
		d := Diagnose(req, req.Validate())
		assert.Equal(t, 41030, d.Hint.Code)
		assert.Equal(t, []string{ActionQueryToScene}, actionIDs(d))
		require.NoError(t, d.Actions[0].Params.Validate())
	})
	t.Run("problem without errcode", func(t *testing.T) {
		req := &wechat.UnlimitedRequest{Scene: "id=1", LineColor: &wechat.Color{R: 300}}
		d := Diagnose(req, req.Validate())
		assert.Equal(t, 0, d.Hint.Code)
		assert.Equal(t, "the request is invalid", d.Hint.Title)
		assert.Contains(t, findings(d), "line_color: r=300 is outside 0–255")
	})
	t.Run("wrapped", func(t *testing.T) {
		d := Diagnose(nil, fmt.Errorf("row 3: %w", &wechat.ValidationError{Kind: wechat.KindLimited, Problems: []wechat.Problem{{Field: "path", Code: 40159, Message: "is empty"}}}))
		assert.Equal(t, 40159, d.Hint.Code)
		assert.Equal(t, []string{"path: is empty"}, d.Findings)
	})
	t.Run("empty problems", func(t *testing.T) {
		d := Diagnose(nil, &wechat.ValidationError{})
		assert.NotEmpty(t, d.Hint.Title)
		assert.NotEmpty(t, d.Findings)
	})
}

func TestDiagnoseTransport(t *testing.T) {
	ep := wechat.KindUnlimited.Path()
	tests := []struct {
		name  string
		err   error
		title string
	}{
		{"cancelled", &wechat.RequestError{Endpoint: ep, Err: context.Canceled}, "cancelled"},
		{"truncated", &wechat.RequestError{Endpoint: ep, Status: 200, Err: fmt.Errorf("%w: got 10 of 99 bytes", wechat.ErrTruncated)}, "cut short"},
		{"empty", &wechat.RequestError{Endpoint: ep, Status: 200, Err: wechat.ErrEmptyBody}, "empty answer"},
		{"not image", &wechat.RequestError{Endpoint: ep, Status: 200, Err: wechat.ErrNotImage, Detail: "<html>"}, "neither an image"},
		{"bad image", &wechat.RequestError{Endpoint: ep, Status: 200, Err: fmt.Errorf("%w: jpeg", wechat.ErrBadImage)}, "does not decode"},
		{"too large", &wechat.RequestError{Endpoint: ep, Status: 200, Err: wechat.ErrTooLarge}, "too large to be a code"},
		{"image size", &wechat.RequestError{Endpoint: ep, Status: 200, Err: &codeimage.SizeError{Format: "png", Width: 65535, Height: 65535}}, "not the size of a code"},
		{"token too large", &wechat.RequestError{Endpoint: wechat.StableTokenPath, Status: 200, Err: wechat.ErrTooLarge}, "too large to be a token answer"},
		{"503", &wechat.RequestError{Endpoint: ep, Status: 503}, "HTTP 503"},
		{"404", &wechat.RequestError{Endpoint: ep, Status: 404}, "unexpected HTTP 404"},
		{"deadline", &wechat.RequestError{Endpoint: ep, Err: context.DeadlineExceeded}, "timed out"},
		{"net timeout", &wechat.RequestError{Endpoint: ep, Err: &net.OpError{Op: "dial", Err: timeoutErr{}}}, "timed out"},
		{"refused", &wechat.RequestError{Endpoint: ep, Err: &net.OpError{Op: "dial", Err: syscall.ECONNREFUSED}}, "connection refused"},
		{"dns", &wechat.RequestError{Endpoint: ep, Err: &net.DNSError{Err: "no such host", Name: "api.weixin.qq.invalid"}}, "host name not found"},
		{"token source", fmt.Errorf("get access token: %w", errors.New("token command failed (exit status 1)")), "could not get an access token"},
		{"other", io.ErrClosedPipe, "the request failed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Diagnose(&wechat.UnlimitedRequest{Scene: "id=1"}, tt.err)
			assert.Equal(t, 0, d.Hint.Code)
			assert.Contains(t, d.Hint.Title, tt.title)
			assert.NotEmpty(t, d.Hint.Causes)
			assert.NotEmpty(t, d.Hint.Fixes)
			require.NotEmpty(t, d.Findings)
			assert.Equal(t, wechat.Redact(tt.err.Error()), d.Findings[0])
			assert.Empty(t, d.Actions)
			assert.True(t, strings.HasPrefix(d.String(), d.Hint.Title+"\n"))
		})
	}
}

func TestDiagnoseNoSecretInFindings(t *testing.T) {
	err := &wechat.RequestError{Endpoint: "/wxa/getwxacodeunlimit", Err: errors.New(`Post "https://api.weixin.qq.com/wxa/getwxacodeunlimit?access_token=` + testToken + `": EOF`)}
	d := Diagnose(nil, err)
	assert.NotContains(t, d.String(), testToken)
}

func TestDiagnoseOddInput(t *testing.T) {
	var nilUnl *wechat.UnlimitedRequest
	var nilLim *wechat.LimitedRequest
	var nilAPI *wechat.APIError
	var nilRL *wechat.RateLimitError
	var nilVE *wechat.ValidationError
	cases := []struct {
		req wechat.Request
		err error
	}{
		{nil, nil},
		{nilUnl, nil},
		{nilUnl, apiErr(41030, "invalid page", "")},
		{nilLim, apiErr(45029, "", "")},
		{nilLim, apiErr(47001, "", "")},
		{nil, nilAPI},
		{nil, nilRL},
		{nil, nilVE},
		{nil, &wechat.RateLimitError{}},
		{nil, &wechat.RequestError{}},
		{&wechat.UnlimitedRequest{}, apiErr(40129, "", "")},
		{&wechat.QRCodeRequest{}, apiErr(41030, "", "")},
		{nil, fmt.Errorf("wrapped: %w", (*wechat.APIError)(nil))},
	}
	for i, c := range cases {
		assert.NotPanics(t, func() {
			d := Diagnose(c.req, c.err)
			_ = d.String()
			assert.NotContains(t, findings(d), "internal error while diagnosing", "case %d", i)
		}, "case %d", i)
	}
	assert.Equal(t, Diagnosis{}, Diagnose(nil, nil))
	assert.Equal(t, Diagnosis{}, Diagnose(&wechat.UnlimitedRequest{Scene: "id=1"}, nil))
	assert.Equal(t, "no problem found\n", Diagnosis{}.String())
}

func FuzzDiagnose(f *testing.F) {
	f.Add(0, "unlimited", "id=1", "/pages/a?x=1", "", "invalid page", 41030, 0)
	f.Add(1, "limited", "", "pages/a?id=1", "develop", "qrcode count out of limit", 45029, 0)
	f.Add(2, "qrcode", "", "", "", "invalid ip 1.2.3.4 ipv6 ::ffff:1.2.3.4, not in whitelist", 40164, 2000)
	f.Add(3, "unlimited", "a b%\xff", "p?", "trial", "", 40129, -5)
	f.Add(4, "unlimited", strings.Repeat("&", 40), "", "", "", 40169, 300)
	f.Add(5, "limited", "", "\x00", "beta", "", 47001, 0)
	f.Add(6, "", "", "", "", "", 0, 0)
	f.Fuzz(func(t *testing.T, errKind int, kind, sceneOrPath, page, env, msg string, code, width int) {
		p := wechat.Params{Kind: wechat.Kind(kind), Scene: sceneOrPath, Path: sceneOrPath, Page: page, EnvVersion: env, Width: width}
		if width%2 == 0 {
			p.CheckPath = wechat.Bool(width%4 == 0)
		}
		var err error
		switch ((errKind % 7) + 7) % 7 {
		case 0:
			err = &wechat.APIError{Code: code, Msg: msg}
		case 1:
			err = &wechat.RateLimitError{API: &wechat.APIError{Code: code, Msg: msg}, NextMinute: time.Unix(int64(width), 0)}
		case 2:
			err = fmt.Errorf("get access token: %w", &wechat.APIError{Code: code, Msg: msg, Endpoint: page})
		case 3:
			err = p.Validate()
		case 4:
			err = &wechat.RequestError{Status: code, Detail: msg, Err: errors.New(msg)}
		case 5:
			err = nil
		case 6:
			err = fmt.Errorf("%s: %w", msg, (*wechat.RateLimitError)(nil))
		}
		d := Diagnose(p.Request(), err)
		_ = d.String()
		assert.NotContains(t, findings(d), "internal error while diagnosing")
		for _, a := range d.Actions {
			switch a.ID {
			case ActionStripSlash:
				assert.False(t, strings.HasPrefix(a.Params.Page, "/"))
			case ActionQueryToScene, ActionUseUnlimited:
				// These are offered only when the moved query fits a scene.
				assert.Empty(t, wechat.SceneProblems(a.Params.Scene))
				assert.NotContains(t, a.Params.Page, "?")
			}
		}
	})
}

const testToken = "91_TESTTOKENvalue-must-never-leak_ABCDEFGHIJKLMNOP"

type timeoutErr struct{}

func (timeoutErr) Error() string { return "i/o timeout" }
func (timeoutErr) Timeout() bool { return true }

// The 41030 fix that turns check_path off says where the code then opens:
// on release the page must be released first, so trial and develop are
// offered too; on trial or develop check_path:false is the whole fix.
func TestCheckPathOffSaysWhereTheCodeOpens(t *testing.T) {
	for _, c := range []struct {
		env  string
		envs []string // env_version of each action, in order
	}{
		{"", []string{"", "trial", "develop"}},
		{"release", []string{"release", "trial", "develop"}},
		{"trial", []string{"trial"}},
		{"develop", []string{"develop"}},
	} {
		t.Run("env "+c.env, func(t *testing.T) {
			req := wechat.Params{Kind: wechat.KindUnlimited, Scene: "id=1", Page: "pages/new/new", EnvVersion: c.env}.Request()
			d := Diagnose(req, apiErr(41030, "invalid page", ""))
			var envs []string
			for _, a := range d.Actions {
				require.NotNil(t, a.Params.CheckPath)
				assert.False(t, *a.Params.CheckPath, a.ID)
				envs = append(envs, a.Params.EnvVersion)
			}
			assert.Equal(t, c.envs, envs)
			if len(envs) > 1 {
				assert.Contains(t, d.Actions[0].Label, "release the page before it is scanned")
			}
		})
	}
}
