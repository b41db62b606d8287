package chaoscontrol

import (
	"math"
	"math/bits"
)

// SplitMix64 constants of docs/control-file.md section 3.3.
const (
	golden      = 0x9E3779B97F4A7C15
	jitterSalt  = 0xD1B54A32D192ED03
	two64       = 18446744073709551616.0
	alwaysFires = math.MaxUint64 // threshold value meaning "percent test always passes"
)

// mix is the SplitMix64 finaliser.
func mix(z uint64) uint64 {
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
	z = (z ^ (z >> 27)) * 0x94D049BB133111EB
	return z ^ (z >> 31)
}

// threshold maps percent to the draw bound: q = percent/100 (one IEEE division); q >= 1
// always passes, else the draw must be below floor(q × 2^64).
func threshold(percent float64) (bound uint64, always bool) {
	q := percent / 100
	if q >= 1 {
		return alwaysFires, true
	}
	return uint64(q * two64), false
}

// delayNanos is latency ± jitter from one draw, in whole nanoseconds, clamped at 0.
func delayNanos(draw uint64, latency, jitter int64) int64 {
	if jitter == 0 {
		return latency
	}
	offset, _ := bits.Mul64(mix(draw^jitterSalt), uint64(2*jitter+1))
	delay := latency + int64(offset) - jitter
	if delay < 0 {
		return 0
	}
	return delay
}
