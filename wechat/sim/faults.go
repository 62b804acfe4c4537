package sim

import (
	crand "crypto/rand"
	"encoding/binary"
	"math/rand/v2"
	"time"
)

// FaultKind names one injected failure.
type FaultKind int

// The faults the simulator can inject.
const (
	FaultSystemError FaultKind = iota + 1 // errcode -1 "system error"
	FaultUnavailable                      // HTTP 503
	FaultTruncate                         // Content-Length larger than the body sent
	FaultMislabel                         // errors as text/plain, images as text/html
	// FaultDrop closes the connection without an answer. It needs a real
	// connection (Listen, httptest.Server): through an httptest.ResponseRecorder
	// the handler panics with http.ErrAbortHandler.
	FaultDrop
	FaultErrcode // any errcode, given in Fault.Code and Fault.Msg
)

// Fault is one failure queued with Inject.
type Fault struct {
	Kind FaultKind
	Code int    // FaultErrcode: the errcode
	Msg  string // FaultErrcode: the errmsg text before " rid: …"
}

// plan is what goes wrong with one request.
type plan struct {
	latency                               time.Duration
	drop, unavailable, truncate, mislabel bool
	errcode                               int
	errmsg                                string
}

// SetFaults replaces the fault rates and reseeds their generator.
func (s *Server) SetFaults(f Faults) {
	s.faultMu.Lock()
	defer s.faultMu.Unlock()
	s.faults = f
	s.rng = rand.New(rand.NewPCG(uint64(f.Seed), 0x5157a1))
}

// Inject queues faults for the next requests, one each, in order; they apply
// to the code endpoints (and token endpoints too when Faults.Tokens is set),
// before any random fault.
func (s *Server) Inject(faults ...Fault) {
	s.faultMu.Lock()
	defer s.faultMu.Unlock()
	s.injected = append(s.injected, faults...)
}

// roll decides the faults of one request.
func (s *Server) roll(codeEndpoint bool) plan {
	s.faultMu.Lock()
	defer s.faultMu.Unlock()
	f := s.faults
	if !codeEndpoint && !f.Tokens {
		return plan{}
	}
	if len(s.injected) > 0 {
		next := s.injected[0]
		s.injected = s.injected[1:]
		return planOf(next)
	}
	var p plan
	hit := func(rate float64) bool { return rate > 0 && s.rng.Float64() < rate }
	if f.Latency > 0 && (f.LatencyRate == 0 || hit(f.LatencyRate)) {
		p.latency = f.Latency
	}
	p.drop = hit(f.Drop)
	p.unavailable = hit(f.Unavailable)
	if hit(f.SystemError) {
		p.errcode, p.errmsg = -1, "system error"
	}
	p.truncate = hit(f.Truncate)
	p.mislabel = hit(f.Mislabel)
	return p
}

func planOf(f Fault) plan {
	switch f.Kind {
	case FaultSystemError:
		return plan{errcode: -1, errmsg: "system error"}
	case FaultUnavailable:
		return plan{unavailable: true}
	case FaultTruncate:
		return plan{truncate: true}
	case FaultMislabel:
		return plan{mislabel: true}
	case FaultDrop:
		return plan{drop: true}
	case FaultErrcode:
		msg := f.Msg
		if msg == "" {
			msg = "simulated error"
		}
		return plan{errcode: f.Code, errmsg: msg}
	}
	return plan{}
}

// rand32 is a random rid group.
func rand32() uint32 {
	var b [4]byte
	_, _ = crand.Read(b[:])
	return binary.BigEndian.Uint32(b[:])
}
