package batch

import (
	"context"
	"errors"
	"time"

	"wxacode/wechat"
)

// rateLimited reports whether err is a per-minute limit — 45009 of
// getwxacodeunlimit, or the generic 45011 "retry next minute" — and until
// when every worker should hold off: the next minute, when WeChat serves
// again. (On limited kinds 45009 is the daily cap of 10,000 new codes:
// waiting a minute would not help, so it is final.)
func rateLimited(err error, k wechat.Kind, now time.Time) (time.Time, bool) {
	var api *wechat.APIError
	if !errors.As(err, &api) || !(api.Code == 45011 || api.Code == 45009 && !k.Limited()) {
		return time.Time{}, false
	}
	var rl *wechat.RateLimitError
	if errors.As(err, &rl) && !rl.NextMinute.IsZero() {
		return rl.NextMinute, true
	}
	return now.Truncate(time.Minute).Add(time.Minute), true // a generator other than the client
}

// transient reports whether trying again may succeed: WeChat's -1 (system
// busy), and anything that is not an answer at all (5xx, transport errors,
// truncated or undecodable bodies). Every other errcode is final for the row.
func transient(err error) bool {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	var ve *wechat.ValidationError
	if errors.As(err, &ve) {
		return false
	}
	var api *wechat.APIError
	if errors.As(err, &api) {
		return api.Code == -1
	}
	return true
}

// failureOf is what the failed file says about err.
func failureOf(err error) failure {
	var api *wechat.APIError
	if errors.As(err, &api) {
		msg := api.Msg
		if api.RID != "" {
			msg += " (rid " + api.RID + ")"
		}
		return failure{Code: api.Code, Msg: msg}
	}
	var ve *wechat.ValidationError
	if errors.As(err, &ve) && len(ve.Problems) > 0 {
		return failure{Code: ve.Problems[0].Code, Msg: ve.Error()}
	}
	return failure{Msg: err.Error()}
}
