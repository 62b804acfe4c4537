package sim

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// qrcodejumpget's fields as the simulator reads them, sent raw: the client
// refuses all of these before sending.
func TestRulesGetRefusesBadFields(t *testing.T) {
	s := newSim(t)
	tok := classic(t, s)
	for _, tc := range []struct {
		body string
		code int
	}{
		{`{"get_type":3}`, 40097},
		{`{"get_type":-1}`, 40097},
		{`{"get_type":1}`, 40097},
		{`{"get_type":1,"prefix_list":[]}`, 40097},
		{`{"get_type":1,"prefix_list":[` + strings.TrimSuffix(strings.Repeat(`"https://e.com/",`, 201), ",") + `]}`, 40097},
		{`{"get_type":2}`, 40097},
		{`{"get_type":2,"page_num":0,"page_size":10}`, 40097},
		{`{"get_type":2,"page_num":1,"page_size":0}`, 40097},
		{`{"get_type":2,"page_num":1,"page_size":201}`, 40097},
		{`{"get_type":"x"}`, 47001},
		{`{"get_type":1,"prefix_list":"https://e.com/"}`, 47001},
		{`{"appid":7}`, 47001},
		{`{"get_type":"2","page_num":"1","page_size":"200"}`, 0}, // numeric strings, as elsewhere
		{`{"get_type":2,"page_num":9223372036854775807,"page_size":200}`, 0},
		{`{"get_type":1,"prefix_list":[` + strings.TrimSuffix(strings.Repeat(`"https://e.com/",`, 200), ",") + `]}`, 0},
	} {
		a := do(t, s, http.MethodPost, pathRulesGet+"?access_token="+tok, tc.body)
		assert.Equal(t, tc.code, a.errcode, "%.80s: %s", tc.body, a.errmsg)
	}
}

// ruleView is what a test compares of the one rule a round is about.
type ruleView struct {
	State int
	Path  string
	Quota int // publishes left
}

// serve sends one request through the handler; safe from any goroutine
// (it asserts nothing).
func serve(s *Server, path, tok, body string) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, path+"?access_token="+tok, strings.NewReader(body)))
	return rec
}

func errcodeOf(t *testing.T, rec *httptest.ResponseRecorder) int {
	t.Helper()
	var e struct {
		ErrCode int `json:"errcode"`
	}
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &e), "%s", rec.Body)
	return e.ErrCode
}

func viewOf(t *testing.T, rec *httptest.ResponseRecorder, prefix string) ruleView {
	t.Helper()
	var a struct {
		ErrCode int        `json:"errcode"`
		Quota   int        `json:"qrcodejump_pub_quota"`
		Rules   []linkRule `json:"rule_list"`
	}
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &a), "%s", rec.Body)
	require.Zero(t, a.ErrCode)
	require.Len(t, a.Rules, 1)
	require.Equal(t, prefix, a.Rules[0].Prefix)
	return ruleView{State: a.Rules[0].State, Path: a.Rules[0].Path, Quota: a.Quota}
}

// An edit, a publish and a list of one published rule, all at once: what
// the list saw and what is left must be what one of the six orders of the
// three calls gives. Before each handler held the lock for its whole step,
// a publish could mark the rule an edit had just replaced: the list in
// between saw the edit's draft with the quota unspent, and at the end the
// quota was spent and the rule still a draft, which no order gives. Run
// under -race.
func TestRulesAddPublishGetAtomic(t *testing.T) {
	const prefix = "https://example.com/shop/"
	add := func(path string, edit int) string {
		return fmt.Sprintf(`{"prefix":%q,"permit_sub_rule":1,"path":%q,"open_version":3,"debug_url":[],"is_edit":%d}`, prefix, path, edit)
	}
	publish := fmt.Sprintf(`{"prefix":%q}`, prefix)
	// apply runs the calls in order on the rule as the round starts
	// (published, pages/v1, one publish spent), giving what the list sees
	// and what is left.
	apply := func(order []string) (seen, end ruleView) {
		v := ruleView{State: 2, Path: "pages/v1", Quota: rulesPublishPerM - 1}
		for _, c := range order {
			switch c {
			case "edit":
				v.State, v.Path = 1, "pages/v2"
			case "publish":
				v.State, v.Quota = 2, v.Quota-1
			case "get":
				seen = v
			}
		}
		return seen, v
	}
	var allowed []string
	for _, o := range [][]string{{"edit", "publish", "get"}, {"edit", "get", "publish"}, {"publish", "edit", "get"},
		{"publish", "get", "edit"}, {"get", "edit", "publish"}, {"get", "publish", "edit"}} {
		seen, end := apply(o)
		allowed = append(allowed, fmt.Sprint(seen, end))
	}
	for round := range 300 {
		s := newSim(t)
		tok := classic(t, s)
		require.Zero(t, errcodeOf(t, serve(s, pathRulesAdd, tok, add("pages/v1", 0))))
		require.Zero(t, errcodeOf(t, serve(s, pathRulesPublish, tok, publish)))

		var edit, pub, get *httptest.ResponseRecorder
		var wg sync.WaitGroup
		gate := make(chan struct{}) // the three start together
		wg.Go(func() { <-gate; edit = serve(s, pathRulesAdd, tok, add("pages/v2", 1)) })
		wg.Go(func() { <-gate; pub = serve(s, pathRulesPublish, tok, publish) })
		wg.Go(func() { <-gate; get = serve(s, pathRulesGet, tok, "{}") })
		close(gate)
		wg.Wait()

		require.Zero(t, errcodeOf(t, edit))
		require.Zero(t, errcodeOf(t, pub))
		seen, end := viewOf(t, get, prefix), viewOf(t, serve(s, pathRulesGet, tok, "{}"), prefix)
		require.Contains(t, allowed, fmt.Sprint(seen, end), "round %d: the list saw %+v, and then %+v is left", round, seen, end)
	}
}
