package main

// randomState is numpy's legacy RandomState (np.random.seed, randint,
// permutation, choice) over its Mersenne Twister, so that the example draws
// the notebook's own strings: the same seed gives the same numbers as
// numpy.
type randomState struct {
	mt  [624]uint32
	pos int
}

// newRandomState returns np.random.seed(seed)'s state (init_genrand).
func newRandomState(seed uint32) *randomState {
	r := &randomState{pos: 624}
	r.mt[0] = seed
	for i := 1; i < 624; i++ {
		r.mt[i] = 1812433253*(r.mt[i-1]^(r.mt[i-1]>>30)) + uint32(i)
	}
	return r
}

// uint32 returns the generator's next 32 bits (genrand_int32).
func (r *randomState) uint32() uint32 {
	const upper, lower = 0x80000000, 0x7fffffff
	if r.pos >= 624 {
		for i := 0; i < 624; i++ {
			y := r.mt[i]&upper | r.mt[(i+1)%624]&lower
			v := r.mt[(i+397)%624] ^ y>>1
			if y&1 != 0 {
				v ^= 0x9908b0df
			}
			r.mt[i] = v
		}
		r.pos = 0
	}
	y := r.mt[r.pos]
	r.pos++
	y ^= y >> 11
	y ^= y << 7 & 0x9d2c5680
	y ^= y << 15 & 0xefc60000
	y ^= y >> 18
	return y
}

// interval returns a number in [0, max] by masked rejection, drawing
// nothing for max 0 (numpy's bounded integers and random_interval).
func (r *randomState) interval(max uint32) uint32 {
	if max == 0 {
		return 0
	}
	mask := max
	for s := uint(1); s < 32; s *= 2 {
		mask |= mask >> s
	}
	for {
		if v := r.uint32() & mask; v <= max {
			return v
		}
	}
}

// IntN returns np.random.randint(n).
func (r *randomState) IntN(n int) int { return int(r.interval(uint32(n - 1))) }

// Perm returns np.random.permutation(n): a Fisher-Yates shuffle of 0..n-1
// from the last element down.
func (r *randomState) Perm(n int) []int {
	p := make([]int, n)
	for i := range p {
		p[i] = i
	}
	for i := n - 1; i > 0; i-- {
		j := int(r.interval(uint32(i)))
		p[i], p[j] = p[j], p[i]
	}
	return p
}
