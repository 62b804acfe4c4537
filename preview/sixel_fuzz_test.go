package preview

import (
	"fmt"
	"image"
	"image/color"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// decodeSixel is a minimal DECSIXEL reader for tests: it returns, for each
// pixel, the colour register's RGB in percent, or -1 where nothing was
// painted. libsixel checks the real images (sixel_test.go); this one lets a
// fuzz test check thousands of odd shapes and palettes in-process.
func decodeSixel(s string) (w, h int, pix [][3]int, err error) {
	body, ok := strings.CutPrefix(s, "\x1bP")
	if !ok || !strings.HasSuffix(body, "\x1b\\") {
		return 0, 0, nil, fmt.Errorf("not a DCS string")
	}
	q := strings.IndexByte(body, 'q')
	if q < 0 {
		return 0, 0, nil, fmt.Errorf("no q")
	}
	data := body[q+1 : len(body)-2]
	num := func(i int) (int, int) {
		j := i
		for j < len(data) && data[j] >= '0' && data[j] <= '9' {
			j++
		}
		n, _ := strconv.Atoi(data[i:j])
		return n, j
	}
	nums := func(i int) ([]int, int) {
		var ns []int
		for {
			n, j := num(i)
			ns = append(ns, n)
			if j < len(data) && data[j] == ';' {
				i = j + 1
				continue
			}
			return ns, j
		}
	}
	regs := map[int][3]int{}
	painted := map[[2]int][3]int{}
	x, band, cur := 0, 0, 0
	for i := 0; i < len(data); {
		c := data[i]
		switch {
		case c == '"':
			var ns []int
			ns, i = nums(i + 1)
			if len(ns) == 4 {
				w, h = ns[2], ns[3]
			}
		case c == '#':
			var ns []int
			ns, i = nums(i + 1)
			cur = ns[0]
			if len(ns) == 5 && ns[1] == 2 {
				regs[cur] = [3]int{ns[2], ns[3], ns[4]}
			}
		case c == '$':
			x, i = 0, i+1
		case c == '-':
			x, band, i = 0, band+1, i+1
		case c == '!' || c >= 0x3f && c <= 0x7e:
			n := 1
			if c == '!' {
				n, i = num(i + 1)
				c = data[i]
			}
			bits := c - 0x3f
			for k := 0; k < n; k++ {
				for b := 0; b < 6; b++ {
					if bits&(1<<b) != 0 {
						painted[[2]int{x, band*6 + b}] = regs[cur]
					}
				}
				x++
			}
			i++
		default:
			return 0, 0, nil, fmt.Errorf("unexpected byte %q at %d", c, i)
		}
	}
	pix = make([][3]int, w*h)
	for i := range pix {
		pix[i] = [3]int{-1, -1, -1}
	}
	for p, rgb := range painted {
		if p[0] >= w || p[1] >= h {
			return 0, 0, nil, fmt.Errorf("pixel %v outside %dx%d", p, w, h)
		}
		pix[p[1]*w+p[0]] = rgb
	}
	return w, h, pix, nil
}

// FuzzEncodeSixelPaletted: every paletted image, of any size and palette,
// comes back pixel for pixel from its sixel string, with every pixel painted.
// It calls the encoder Render uses, since Render's resampling would hide
// which pixel went wrong.
func FuzzEncodeSixelPaletted(f *testing.F) {
	f.Add(uint8(7), uint8(13), uint8(2), []byte{0, 1, 1, 0, 1})
	f.Add(uint8(1), uint8(1), uint8(1), []byte{})
	f.Add(uint8(40), uint8(6), uint8(5), []byte{4, 3, 2, 1, 0, 0, 0, 0, 9})
	f.Add(uint8(3), uint8(12), uint8(3), []byte{2, 2, 2, 2, 2, 2, 2, 2, 2, 1})
	f.Fuzz(func(t *testing.T, w, h, colours uint8, data []byte) {
		wi, hi, n := int(w%64)+1, int(h%64)+1, int(colours%16)+1
		pal := make(color.Palette, n)
		for i := range pal {
			v := uint8(i * 37)
			pal[i] = color.NRGBA{v, 255 - v, uint8(i * 91), 255}
		}
		img := image.NewPaletted(image.Rect(0, 0, wi, hi), pal)
		for i := range img.Pix {
			if len(data) > 0 {
				img.Pix[i] = data[i%len(data)] % uint8(n)
			}
		}
		s, err := encodeSixel(img)
		require.NoError(t, err)
		gw, gh, pix, err := decodeSixel(s)
		require.NoError(t, err)
		require.Equal(t, [2]int{wi, hi}, [2]int{gw, gh})
		for y := 0; y < hi; y++ {
			for x := 0; x < wi; x++ {
				r, g, b, _ := pal[img.ColorIndexAt(x, y)].RGBA()
				want := [3]int{int(pct(r)), int(pct(g)), int(pct(b))}
				if !assert.Equal(t, want, pix[y*wi+x], "pixel %d,%d", x, y) {
					return
				}
			}
		}
	})
}
