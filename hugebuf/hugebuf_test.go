package hugebuf

import (
	"runtime"
	"sync"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// withRegion runs f with a fresh region of size bytes and restores none after.
func withRegion(t *testing.T, size int, f func()) {
	t.Helper()
	ok := Use(size)
	if runtime.GOOS == "linux" {
		require.True(t, ok, "a Linux kernel maps and advises anonymous memory")
	}
	t.Cleanup(func() { Use(0) })
	f()
}

func TestBytesAreZeroedDisjointAndAligned(t *testing.T) {
	withRegion(t, 4<<20, func() {
		sizes := []int{1, 63, 64, 65, 4096, 640000, 3}
		bufs := make([][]byte, len(sizes))
		for i, n := range sizes {
			b := Bytes(n)
			require.Len(t, b, n)
			assert.Equal(t, n, cap(b), "an append must not run into the next buffer")
			for _, v := range b {
				require.Zero(t, v)
			}
			for j := range b {
				b[j] = byte(i + 1)
			}
			bufs[i] = b
		}
		for i, b := range bufs {
			for _, v := range b {
				require.Equal(t, byte(i+1), v, "buffer %d was overwritten by a later one", i)
			}
		}
	})
}

func TestFullRegionFallsBackToMake(t *testing.T) {
	withRegion(t, 1, func() { // rounded up to one huge page
		a := Bytes(2 << 20)
		b := Bytes(100) // no room left
		require.Len(t, a, 2<<20)
		require.Len(t, b, 100)
		a[len(a)-1], b[0] = 1, 2
		assert.Equal(t, byte(1), a[len(a)-1])
		assert.Equal(t, byte(2), b[0])
	})
}

func TestWithoutUseBytesIsMake(t *testing.T) {
	Use(1 << 20)
	Use(0)
	b := Bytes(10)
	assert.Equal(t, make([]byte, 10), b)
	assert.Empty(t, Bytes(0))
}

func TestConcurrentBuffersDoNotOverlap(t *testing.T) {
	withRegion(t, 2<<20, func() {
		const workers, each = 8, 200
		var wg sync.WaitGroup
		bufs := make([][]byte, workers*each)
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range each {
					b := Bytes(1000)
					for j := range b {
						b[j] = byte(w)
					}
					bufs[w*each+i] = b
				}
			}()
		}
		wg.Wait()
		for k, b := range bufs {
			for _, v := range b {
				require.Equal(t, byte(k/each), v)
			}
		}
	})
}

func TestUint32s(t *testing.T) {
	for _, region := range []bool{false, true} {
		if region {
			withRegion(t, 1<<20, func() {})
		}
		Bytes(3) // the next buffer must still be aligned
		h := Uint32s(1 << 15)
		require.Len(t, h, 1<<15)
		assert.Zero(t, uintptr(unsafe.Pointer(&h[0]))%4)
		for i := range h {
			require.Zero(t, h[i])
			h[i] = uint32(i) * 0x01010101
		}
		assert.Equal(t, uint32(len(h)-1)*0x01010101, h[len(h)-1])
		assert.Nil(t, Uint32s(0))
	}
}
