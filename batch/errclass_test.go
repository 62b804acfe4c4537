package batch

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"wxacode/wechat"
)

func TestRateLimited(t *testing.T) {
	now := time.Date(2026, 11, 23, 22, 0, 30, 0, time.UTC)
	next := time.Date(2026, 11, 23, 22, 1, 0, 0, time.UTC)
	fromClient := time.Date(2026, 11, 23, 22, 1, 0, 5, time.UTC)
	for _, tc := range []struct {
		name string
		err  error
		kind wechat.Kind
		want time.Time
		ok   bool
	}{
		{"client 45009", &wechat.RateLimitError{API: &wechat.APIError{Code: 45009}, NextMinute: fromClient}, wechat.KindUnlimited, fromClient, true},
		{"bare 45009", &wechat.APIError{Code: 45009}, wechat.KindUnlimited, next, true},
		{"daily cap of limited codes", &wechat.RateLimitError{API: &wechat.APIError{Code: 45009}, NextMinute: fromClient}, wechat.KindLimited, time.Time{}, false},
		{"45011 on any kind", &wechat.APIError{Code: 45011}, wechat.KindQRCode, next, true},
		{"other errcode", &wechat.APIError{Code: 41030}, wechat.KindUnlimited, time.Time{}, false},
		{"transport", errors.New("EOF"), wechat.KindUnlimited, time.Time{}, false},
	} {
		got, ok := rateLimited(tc.err, tc.kind, now)
		assert.Equal(t, tc.ok, ok, tc.name)
		assert.Equal(t, tc.want, got, tc.name)
	}
}

func TestTransient(t *testing.T) {
	assert.True(t, transient(&wechat.APIError{Code: -1}))
	assert.True(t, transient(&wechat.RequestError{Status: 503}))
	assert.True(t, transient(fmt.Errorf("x: %w", wechat.ErrTruncated)))
	assert.False(t, transient(&wechat.APIError{Code: 40001}))
	assert.False(t, transient(&wechat.ValidationError{}))
	assert.False(t, transient(context.Canceled))
}
