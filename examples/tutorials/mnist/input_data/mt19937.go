package input_data

// mt19937 is the Mersenne Twister that numpy's legacy RandomState (and so
// numpy.random.seed/numpy.random.shuffle, which TF's DataSet uses) draws
// from. Seeding and shuffling as numpy does makes a seeded DataSet visit the
// examples in the same order as TF's.
type mt19937 struct {
	state [mtN]uint32
	pos   int
}

const (
	mtN         = 624
	mtM         = 397
	mtMatrixA   = 0x9908b0df
	mtUpperMask = 0x80000000
	mtLowerMask = 0x7fffffff
)

// newMT19937 returns a generator seeded as numpy.random.seed(seed) seeds one
// for an integer seed (init_genrand).
func newMT19937(seed uint32) *mt19937 {
	m := &mt19937{pos: mtN}
	m.state[0] = seed
	for i := 1; i < mtN; i++ {
		prev := m.state[i-1]
		m.state[i] = 1812433253*(prev^(prev>>30)) + uint32(i)
	}
	return m
}

// next32 returns the next 32 random bits (genrand_int32).
func (m *mt19937) next32() uint32 {
	if m.pos >= mtN {
		m.generate()
	}
	y := m.state[m.pos]
	m.pos++
	y ^= y >> 11
	y ^= (y << 7) & 0x9d2c5680
	y ^= (y << 15) & 0xefc60000
	y ^= y >> 18
	return y
}

// generate refills the state with the next 624 words.
func (m *mt19937) generate() {
	mag := [2]uint32{0, mtMatrixA}
	var i int
	for ; i < mtN-mtM; i++ {
		y := m.state[i]&mtUpperMask | m.state[i+1]&mtLowerMask
		m.state[i] = m.state[i+mtM] ^ y>>1 ^ mag[y&1]
	}
	for ; i < mtN-1; i++ {
		y := m.state[i]&mtUpperMask | m.state[i+1]&mtLowerMask
		m.state[i] = m.state[i+mtM-mtN] ^ y>>1 ^ mag[y&1]
	}
	y := m.state[mtN-1]&mtUpperMask | m.state[0]&mtLowerMask
	m.state[mtN-1] = m.state[mtM-1] ^ y>>1 ^ mag[y&1]
	m.pos = 0
}

// interval returns a uniform integer in [0, max] as numpy's random_interval
// does: draws masked to the smallest all-ones mask covering max, rejected
// while above max. Indices here are below 2^32, so 32-bit draws suffice, as
// numpy uses for such a max.
func (m *mt19937) interval(max uint32) uint32 {
	if max == 0 {
		return 0
	}
	mask := max
	mask |= mask >> 1
	mask |= mask >> 2
	mask |= mask >> 4
	mask |= mask >> 8
	mask |= mask >> 16
	for {
		if v := m.next32() & mask; v <= max {
			return v
		}
	}
}

// shuffle permutes p in place as numpy.random.shuffle does a 1-D array:
// Fisher-Yates from the last element down, swapping i with interval(i).
func (m *mt19937) shuffle(p []int) {
	for i := len(p) - 1; i > 0; i-- {
		j := m.interval(uint32(i))
		p[i], p[j] = p[j], p[i]
	}
}
