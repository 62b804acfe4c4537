package wechat

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// APIError is an errcode answer from WeChat (HTTP 200 with a JSON body).
type APIError struct {
	Code int    // errcode
	Msg  string // errmsg without the rid / hint suffix
	RID  string // "663b1af7-1f2e3d4c-5b6a7988", or the old hint "[XXXXXXXX]" content
	// Time is the request time WeChat encodes in the rid's first group; zero when absent.
	Time time.Time
	// Endpoint is the API path that answered, for messages.
	Endpoint string
}

func (e *APIError) Error() string {
	s := fmt.Sprintf("errcode %d: %s", e.Code, e.Msg)
	if e.RID != "" {
		s += " (rid " + e.RID + ")"
	}
	return s
}

var (
	ridPattern  = regexp.MustCompile(`[,;]?\s*rid:\s*([0-9a-fA-F]{8}(?:-[0-9a-fA-F]+)*)\s*$`)
	hintPattern = regexp.MustCompile(`[,;]?\s*hints?:\s*\[([^\]]*)\]\s*$`)
)

// ParseAPIError reads {"errcode":N,"errmsg":"…"}; ok is false when body is not
// such an object. errcode 0 yields (nil, true): a JSON success answer.
func ParseAPIError(body []byte) (apiErr *APIError, ok bool) {
	var raw struct {
		ErrCode *json.Number `json:"errcode"`
		ErrMsg  string       `json:"errmsg"`
	}
	if err := json.Unmarshal(body, &raw); err != nil || raw.ErrCode == nil {
		return nil, false
	}
	code, err := strconv.Atoi(raw.ErrCode.String())
	if err != nil {
		return nil, false
	}
	if code == 0 {
		return nil, true
	}
	e := &APIError{Code: code, Msg: strings.TrimSpace(raw.ErrMsg)}
	if m := ridPattern.FindStringSubmatchIndex(e.Msg); m != nil {
		e.RID = e.Msg[m[2]:m[3]]
		e.Msg = strings.TrimSpace(e.Msg[:m[0]])
		e.Time = RIDTime(e.RID)
	} else if m := hintPattern.FindStringSubmatchIndex(e.Msg); m != nil {
		e.RID = e.Msg[m[2]:m[3]]
		e.Msg = strings.TrimSpace(e.Msg[:m[0]])
	}
	return e, true
}

// RIDTime decodes the request time from a rid's first group (8 hex digits of
// Unix seconds); zero when the rid has no such group.
func RIDTime(rid string) time.Time {
	first, _, _ := strings.Cut(rid, "-")
	if len(first) != 8 {
		return time.Time{}
	}
	sec, err := strconv.ParseInt(first, 16, 64)
	if err != nil {
		return time.Time{}
	}
	return time.Unix(sec, 0).UTC()
}
