package preview

import "testing"

func TestMul255(t *testing.T) {
	for v := 0; v < 256; v++ {
		for a := 0; a < 256; a++ {
			if got, want := mul255(uint8(v), uint32(a)), uint8((v*a+127)/255); got != want {
				t.Fatalf("mul255(%d, %d) = %d, want %d", v, a, got, want)
			}
		}
	}
}
