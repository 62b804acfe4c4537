package troubleshoot

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/wechat"
	"wxacode/wechat/scene"
)

func TestDiagnoseOffersFitScene(t *testing.T) {
	// Short keys make the first fit, base62 the second; only a mapping id
	// would fit the third, so no fix is offered for it.
	long := "productId=123456&category=shoes&color=red"
	number := "412213075488489472123456789012345678"
	unicode := "名称=小程序码&城市=深圳"
	withRed := wechat.Params{Page: "pages/a", Scene: long, LineColor: &wechat.Color{R: 255}}
	for _, tc := range []struct {
		name string
		req  wechat.Request
		err  error
		fits bool // an ActionFitScene is offered
	}{
		{name: "too long, validation", req: &wechat.UnlimitedRequest{Page: "pages/a", Scene: long}, fits: true},
		{name: "too long, nil error validates", req: &wechat.UnlimitedRequest{Scene: long}, fits: true},
		{name: "too long, 40169 answer", req: &wechat.UnlimitedRequest{Scene: long}, err: apiErr(40169, "invalid length for scene", ""), fits: true},
		{name: "a long number", req: &wechat.UnlimitedRequest{Scene: number}, fits: true},
		{name: "line colour kept", req: withRed.Request(), fits: true},
		{name: "only a mapping id fits", req: &wechat.UnlimitedRequest{Scene: unicode}},
		{name: "the scene fits", req: &wechat.UnlimitedRequest{Scene: "id=42"}, err: apiErr(41030, "invalid page", "")},
		{name: "empty scene", req: &wechat.UnlimitedRequest{}},
		{name: "limited: no scene field", req: &wechat.LimitedRequest{Path: "pages/a?" + long}},
		{name: "no request", err: apiErr(40169, "invalid length for scene", "")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := Diagnose(tc.req, tc.err)
			var fit []Action
			for _, a := range d.Actions {
				if a.ID == ActionFitScene {
					fit = append(fit, a)
				}
			}
			if !tc.fits {
				assert.Empty(t, fit)
				return
			}
			require.Len(t, fit, 1)
			a := fit[0]
			orig := wechat.ParamsOf(tc.req)
			assert.Empty(t, wechat.SceneProblems(a.Params.Scene), "the fixed scene passes the validator")
			assert.NotEqual(t, orig.Scene, a.Params.Scene)
			assert.Equal(t, firstRewrite(orig.Scene), a.Params.Scene)
			assert.Contains(t, a.Label, a.Params.Scene)
			// Everything but the scene is the request as it was.
			q := a.Params
			q.Scene = orig.Scene
			assert.Equal(t, orig, q)
			if orig.LineColor != nil {
				assert.NotSame(t, orig.LineColor, a.Params.LineColor, "the action never aliases the request")
			}
		})
	}
}

// firstRewrite is the proposal the fix must take: scene.Fit's first that
// neither keeps the scene nor needs a mapping file.
func firstRewrite(s string) string {
	for _, p := range scene.Fit(s, scene.FitOptions{}) {
		if p.Strategy != scene.StrategyAsIs && p.Strategy != scene.StrategyMappingID {
			return p.Scene
		}
	}
	return ""
}

func TestFitSceneActionIsPrinted(t *testing.T) {
	d := Diagnose(&wechat.UnlimitedRequest{Scene: "productId=123456&category=shoes&color=red"}, nil)
	assert.True(t, strings.Contains(d.String(), ActionFitScene+": fit the scene into 32 characters: "), d.String())
}
