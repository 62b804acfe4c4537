package troubleshoot

import (
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// specCodes is every errcode in the spec (wechat-api.md sections 1, 3, 4 and 9).
var specCodes = []int{-1, 40001, 40002, 40013, 40014, 40066, 40097, 40125, 40129, 40159, 40164, 40169, 40189,
	40243, 41001, 41002, 41004, 41030, 42001, 43002, 44002, 45009, 45011, 45029, 45063, 47001, 48001, 48006,
	61004, 85096, 89501, 89503, 89506, 89507,
	// get_qrcode (the trial QR) and the link rules (qrcodejumpget/add/publish), issue 16.
	43001, 44990, 85066, 85068, 85069, 85070, 85071, 85072, 85073, 85074, 85075, 85095, 886000}

func TestHintForCoversEverySpecCode(t *testing.T) {
	for _, code := range specCodes {
		h, ok := HintFor(code)
		require.True(t, ok, "no hint for %d", code)
		assert.Equal(t, code, h.Code)
		assert.NotEmpty(t, strings.TrimSpace(h.Title), "title of %d", code)
		assert.NotEmpty(t, h.Causes, "causes of %d", code)
		assert.NotEmpty(t, h.Fixes, "fixes of %d", code)
		for _, s := range append(slices.Clone(h.Causes), h.Fixes...) {
			assert.NotEmpty(t, strings.TrimSpace(s), "empty bullet in %d", code)
		}
	}
}

func TestHintsSortedAndComplete(t *testing.T) {
	hs := Hints()
	require.Len(t, hs, len(hintTable))
	assert.True(t, slices.IsSortedFunc(hs, func(a, b Hint) int { return a.Code - b.Code }))
	var codes []int
	for _, h := range hs {
		codes = append(codes, h.Code)
	}
	for _, c := range specCodes {
		assert.Contains(t, codes, c)
	}
	// The table holds nothing the spec does not name.
	assert.ElementsMatch(t, specCodes, codes)
}

func TestHintForUnknown(t *testing.T) {
	_, ok := HintFor(12345)
	assert.False(t, ok)
	_, ok = HintFor(0)
	assert.False(t, ok)
}

func TestHintForReturnsCopies(t *testing.T) {
	h, _ := HintFor(41030)
	h.Causes[0] = "changed"
	h2, _ := HintFor(41030)
	assert.NotEqual(t, "changed", h2.Causes[0])
}

func TestHintString(t *testing.T) {
	h, _ := HintFor(41030)
	s := h.String()
	lines := strings.Split(s, "\n")
	assert.Equal(t, "errcode 41030: "+h.Title, lines[0])
	assert.Contains(t, s, "\nCauses:\n  - ")
	assert.Contains(t, s, "\nFixes:\n  - ")
	assert.Contains(t, s, "check_path:false")
	assert.Less(t, strings.Index(s, "Causes:"), strings.Index(s, "Fixes:"))

	m, _ := HintFor(-1)
	assert.True(t, strings.HasPrefix(m.String(), "errcode -1: system error"))

	// Code 0 (transport failures) has no errcode prefix.
	assert.Equal(t, "timed out\n", Hint{Title: "timed out"}.String())
}

func TestHint40164NamesWhitelistPlace(t *testing.T) {
	h, _ := HintFor(40164)
	s := h.String()
	assert.Contains(t, s, "开发管理 → 开发设置 → IP白名单")
	assert.Contains(t, s, "Development → Development settings → IP whitelist")
}
