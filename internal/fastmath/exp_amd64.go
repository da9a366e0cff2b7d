//go:build amd64 && !purego

package fastmath

// exp32AVX2 sets y[i] = Exp32(x[i]) for len(x) a multiple of 8.
//
//go:noescape
func exp32AVX2(x, y []float32)

// exp32AVX512 sets y[i] = Exp32(x[i]) for len(x) a multiple of 16.
//
//go:noescape
func exp32AVX512(x, y []float32)

func cpuid(eax, ecx uint32) (a, b, c, d uint32)

func xgetbv() uint32

// haveAVX2 and haveAVX512 report whether the processor has AVX2 (and
// AVX-512F) and the OS saves the YMM (and opmask and ZMM) registers.
var haveAVX2, haveAVX512 = vectorLevels()

func vectorLevels() (avx2, avx512 bool) {
	if max, _, _, _ := cpuid(0, 0); max < 7 {
		return false, false
	}
	if _, _, c, _ := cpuid(1, 0); c&(1<<27) == 0 { // OSXSAVE
		return false, false
	}
	xcr0 := xgetbv()
	_, b, _, _ := cpuid(7, 0)
	avx2 = b&(1<<5) != 0 && xcr0&6 == 6
	avx512 = avx2 && b&(1<<16) != 0 && xcr0&0xe6 == 0xe6
	return avx2, avx512
}
