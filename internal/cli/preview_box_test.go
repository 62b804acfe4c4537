package cli

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/internal/wechattest"
	"wxacode/preview"
	"wxacode/wechat"
)

// TestPreviewBoxBounds: --cols and --rows outside 1…1000 are a usage error
// naming the flag, the bound and the fix, before any file is read (issue 12,
// "Bounded sizes": 999999999 panicked in makeslice, 10000 ran out of memory).
func TestPreviewBoxBounds(t *testing.T) {
	path, _ := wechattest.CodeFile(t, wechat.UnlimitedRequest{Scene: "id=42", Page: "pages/index/index", CheckPath: wechat.Bool(false)})
	for _, tc := range []struct {
		flag, value string
		want        string // "" is success
	}{
		{"--cols", "0", "--cols 0 is out of range: give 1 to 1000 columns, or leave it out for the terminal's width"},
		{"--cols", "-1", "--cols -1 is out of range: give 1 to 1000 columns"},
		{"--cols", "1001", "--cols 1001 is out of range: give 1 to 1000 columns"},
		{"--cols", "999999999", "--cols 999999999 is out of range: give 1 to 1000 columns"},
		{"--rows", "0", "--rows 0 is out of range: give 1 to 1000 rows, or leave it out for no limit"},
		{"--rows", "-1", "--rows -1 is out of range"},
		{"--rows", "1001", "--rows 1001 is out of range: give 1 to 1000 rows"},
		{"--rows", "999999999", "--rows 999999999 is out of range"},
		{"--cols", "1", ""},
		{"--cols", "1000", ""},
		{"--rows", "1", ""},
		{"--rows", "1000", ""},
	} {
		t.Run(tc.flag+"="+tc.value, func(t *testing.T) {
			// blocks: a real rendering at that size, not only the header.
			code, out, errs := previewRun(t, path, "--graphics", "blocks", tc.flag, tc.value)
			if tc.want == "" {
				require.Equal(t, exitOK, code, errs)
				assert.NotEmpty(t, out)
				return
			}
			assert.Equal(t, exitUsage, code)
			assert.Contains(t, errs, tc.want)
			assert.Empty(t, out)
		})
	}
}

// TestPreviewBoxTerminal: on a terminal the bound is its size (capped at 1000).
func TestPreviewBoxTerminal(t *testing.T) {
	for _, tc := range []struct {
		name       string
		flags      boxFlags
		w, h       int
		ok         bool
		want       string
		wantCols   int
		wantRowsEq int
	}{
		{"within", boxFlags{cols: 80, colsSet: true}, 120, 40, true, "", 80, 0},
		{"wider than the terminal", boxFlags{cols: 121, colsSet: true}, 120, 40, true, "give 1 to 120 columns (the terminal's size)", 0, 0},
		{"taller than the terminal", boxFlags{rows: 41, rowsSet: true}, 120, 40, true, "give 1 to 40 rows (the terminal's size)", 0, 0},
		{"a huge terminal is still 1000", boxFlags{cols: 1001, colsSet: true}, 5000, 5000, true, "give 1 to 1000 columns", 0, 0},
		{"no terminal", boxFlags{cols: 1000, colsSet: true}, 0, 0, false, "", 1000, 0},
		{"unset", boxFlags{}, 120, 40, true, "", 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			box, err := tc.flags.check(tc.w, tc.h, tc.ok)
			if tc.want != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.want)
				assert.Equal(t, exitUsage, exitCode(err))
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.wantCols, box.Cols)
			assert.Equal(t, tc.wantRowsEq, box.Rows)
		})
	}
}

func TestBoxFlagsFix(t *testing.T) {
	need := preview.Box{Cols: 39, Rows: 20}
	for _, tc := range []struct {
		name  string
		flags boxFlags
		termW int
		need  preview.Box
		want  string
	}{
		{"columns", boxFlags{cols: 30, colsSet: true}, 0, need, "--cols 39"},
		{"rows given too", boxFlags{cols: 60, rows: 10, colsSet: true, rowsSet: true}, 0, need, "--cols 39 --rows 20"},
		{"a wide enough terminal", boxFlags{}, 39, need, "--cols 39"},
		{"a narrower terminal", boxFlags{}, 38, need, "a window at least 39 columns wide and --cols 39"},
		{"no box would do", boxFlags{}, 80, preview.Box{}, "a terminal with sixel or kitty graphics"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, tc.flags.fix(tc.need, tc.termW))
		})
	}
}
