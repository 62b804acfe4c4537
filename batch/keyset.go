package batch

// keySet is a set of 64-bit row keys in one flat slice (open addressing,
// linear probing): about 11 bytes per key at its fullest, and no per-entry
// allocation, so remembering every row of a multi-million-row input stays in
// the tens of megabytes. Keys are the first 8 bytes of a SHA-256; at a million
// rows the chance of any false "duplicate" is about 3e-8.
type keySet struct {
	slots   []uint64
	n       int
	hasZero bool // 0 marks an empty slot, so the key 0 is kept aside
}

// Add inserts k and reports whether it was new.
func (s *keySet) Add(k uint64) bool {
	if k == 0 {
		was := s.hasZero
		s.hasZero = true
		return !was
	}
	if (s.n+1)*4 > len(s.slots)*3 {
		s.grow()
	}
	mask := uint64(len(s.slots) - 1)
	for i := mix(k) & mask; ; i = (i + 1) & mask {
		switch s.slots[i] {
		case 0:
			s.slots[i] = k
			s.n++
			return true
		case k:
			return false
		}
	}
}

// Has reports whether k is in the set.
func (s *keySet) Has(k uint64) bool {
	if k == 0 {
		return s.hasZero
	}
	if len(s.slots) == 0 {
		return false
	}
	mask := uint64(len(s.slots) - 1)
	for i := mix(k) & mask; ; i = (i + 1) & mask {
		switch s.slots[i] {
		case 0:
			return false
		case k:
			return true
		}
	}
}

// Len is the number of keys.
func (s *keySet) Len() int {
	if s.hasZero {
		return s.n + 1
	}
	return s.n
}

func (s *keySet) grow() {
	old := s.slots
	size := 1024
	if len(old) > 0 {
		size = len(old) * 2
	}
	s.slots = make([]uint64, size)
	s.n = 0
	for _, k := range old {
		if k != 0 {
			s.Add(k)
		}
	}
}

// mix spreads keys over the table; they are hashes already, but tests use small ones.
func mix(k uint64) uint64 {
	k ^= k >> 33
	k *= 0xff51afd7ed558ccd
	k ^= k >> 33
	return k
}
