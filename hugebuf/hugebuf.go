// Package hugebuf hands out large byte buffers for a process that renders
// one image and exits (wxacode preview), from one region the kernel is
// asked to back with transparent huge pages.
//
// Why: such a process writes each of its buffers once, so every 4 KiB page
// of them is a fresh page fault. A 430 px code's preview touches about
// 2.4 MiB: some 600 faults. Where a fault is dear (about 12 µs each on a
// virtual machine that shadows page tables, against 1 µs on bare metal)
// they were a third of the whole process's time; from 2 MiB pages the same
// buffers take two or three faults.
//
// The region is only ever bumped: memory from it is never given back or
// reused, which is right for a process that exits after one image and
// wrong for one that lives on (the designer does not call Use). Buffers
// hold bytes only, never Go pointers, so the garbage collector need not see
// them. Without Use, or on another system, or once the region is full,
// Bytes is make.
package hugebuf

import (
	"sync/atomic"
	"unsafe"
)

// align keeps each buffer on its own cache line.
const align = 64

type region struct {
	mem  []byte
	used atomic.Int64
}

var current atomic.Pointer[region]

// Use reserves size bytes of address space for Bytes, backed by huge pages
// where the system has them (Linux with transparent huge pages "always" or
// "madvise"); nothing is touched until a buffer is written. It reports
// whether a region was set up; calling it again replaces the region for
// later buffers and leaves earlier ones valid, and Use(0) goes back to make.
func Use(size int) bool {
	mem := reserve(size)
	if mem == nil {
		current.Store(nil)
		return false
	}
	r := &region{mem: mem}
	current.Store(r)
	return true
}

// Bytes returns n zero bytes: from the region when Use has set one up and
// it has room, else from make.
func Bytes(n int) []byte {
	if r := current.Load(); r != nil && n > 0 {
		size := int64(n+align-1) &^ (align - 1)
		// A request that does not fit leaves the room for smaller ones.
		for start := r.used.Load(); start+size <= int64(len(r.mem)); start = r.used.Load() {
			if r.used.CompareAndSwap(start, start+size) {
				return r.mem[start : start+int64(n) : start+int64(n)]
			}
		}
	}
	return make([]byte, n)
}

// Uint32s is Bytes for n uint32s (a histogram); buffers are aligned to 64
// bytes in the region, and make's to at least 8.
func Uint32s(n int) []uint32 {
	if n <= 0 {
		return nil
	}
	return unsafe.Slice((*uint32)(unsafe.Pointer(unsafe.SliceData(Bytes(4*n)))), n)
}
