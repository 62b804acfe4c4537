package hugebuf

import (
	"syscall"
	"unsafe"
)

// hugePage is the transparent huge page size of amd64 and arm64 with 4 KiB
// pages; elsewhere the advice still holds, only less of the region is whole
// huge pages.
const hugePage = 2 << 20

// reserve maps size bytes of anonymous memory, aligned to a huge page so
// that every 2 MiB of it can be one, and advises huge pages. It returns nil
// when either fails (the caller then uses make).
func reserve(size int) []byte {
	if size <= 0 {
		return nil
	}
	size = (size + hugePage - 1) &^ (hugePage - 1)
	mem, err := syscall.Mmap(-1, 0, size+hugePage, syscall.PROT_READ|syscall.PROT_WRITE,
		syscall.MAP_PRIVATE|syscall.MAP_ANON|syscall.MAP_NORESERVE)
	if err != nil {
		return nil
	}
	off := (hugePage - int(uintptr(unsafe.Pointer(unsafe.SliceData(mem))))%hugePage) % hugePage
	aligned := mem[off : off+size : off+size]
	if err := syscall.Madvise(aligned, syscall.MADV_HUGEPAGE); err != nil {
		// No transparent huge pages in this kernel: plain pages from the
		// Go heap are as good, and the mapping is given back.
		syscall.Munmap(mem)
		return nil
	}
	return aligned
}
