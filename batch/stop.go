package batch

import (
	"errors"
	"fmt"

	"wxacode/wechat"
)

// StopError means the whole run stopped because every row left would fail
// the same way: a minute quota that does not come back, or credentials
// WeChat refuses even freshly issued. The rows not finished are not in the
// manifest; running the same command again resumes.
type StopError struct {
	Code            int    // the errcode behind it
	Reason          string // what happened
	Fix             string // what to do
	Pending, Failed int
}

// Error says why the run stopped, what is left, and how to go on.
func (e *StopError) Error() string {
	return fmt.Sprintf("stopped the run: %s; %d row(s) unfinished, %d failed; %s", e.Reason, e.Pending, e.Failed, e.Fix)
}

// credentialProblem is a *StopError when err says the credentials do not
// work: a token error reaching batch means the client already renewed the
// token and the fresh one was refused too (a token fight, or a token source
// that keeps handing out a dead token), and a refusal from the token
// endpoint will refuse every row alike. A token fetch per row would only
// make the fight worse.
func credentialProblem(err error) *StopError {
	var api *wechat.APIError
	if !errors.As(err, &api) {
		return nil
	}
	switch {
	case wechat.IsTokenError(err):
		return &StopError{Code: api.Code, Reason: fmt.Sprintf("errcode %d (%s) right after a fresh access token: another server is fetching tokens for this appid and invalidating ours (a token fight), or the token source hands out a dead token", api.Code, api.Msg),
			Fix: `use stable tokens everywhere (token_mode = "stable") or one central token service (token_cmd), then run the same command again to resume (wxacode hint ` + fmt.Sprint(api.Code) + `)`}
	case errors.Is(err, wechat.ErrNotSent) && api.Code != -1: // -1 is WeChat busy: retried like any other
		return &StopError{Code: api.Code, Reason: fmt.Sprintf("the token endpoint refused the credentials: errcode %d (%s)", api.Code, api.Msg),
			Fix: fmt.Sprintf("check the appid and secret (wxacode token; wxacode hint %d), then run the same command again to resume", api.Code)}
	}
	return nil
}
