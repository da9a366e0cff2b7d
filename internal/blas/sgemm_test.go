package blas

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	gblas "gonum.org/v1/gonum/blas"
)

// kernels lists the micro-kernels this machine can run.
func kernels() map[string]*microKernel {
	ks := map[string]*microKernel{"go": &kernGo}
	if haveAsmKernel {
		ks["asm"] = &kernAsm
	}
	if haveAVX512 {
		ks["avx512"] = &kernAVX512
	}
	return ks
}

// refGemm is C = alpha·op(A)·op(B) + beta·C by plain loops in float64,
// for Sgemm and Dgemm; beta 0 ignores C.
func refGemm[T float32 | float64](tA, tB bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) []float64 {
	out := make([]float64, len(c))
	for i := range c {
		out[i] = float64(c[i])
	}
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			s := 0.0
			for p := 0; p < k; p++ {
				var av, bv T
				if tA {
					av = a[p*lda+i]
				} else {
					av = a[i*lda+p]
				}
				if tB {
					bv = b[j*ldb+p]
				} else {
					bv = b[p*ldb+j]
				}
				s += float64(av) * float64(bv)
			}
			v := float64(alpha) * s
			if beta != 0 {
				v += float64(beta) * float64(c[i*ldc+j])
			}
			out[i*ldc+j] = v
		}
	}
	return out
}

type gemmCase struct {
	tA, tB        bool
	m, n, k       int
	lda, ldb, ldc int
	alpha, beta   float32
}

func (g gemmCase) String() string {
	return fmt.Sprintf("tA=%v tB=%v m=%d n=%d k=%d lda=%d ldb=%d ldc=%d alpha=%v beta=%v", g.tA, g.tB, g.m, g.n, g.k, g.lda, g.ldb, g.ldc, g.alpha, g.beta)
}

// check runs one case with kern and compares every element of the backing
// C (outside the m×n window too, which must be left alone).
func check(t *testing.T, r *rand.Rand, name string, kern *microKernel, g gemmCase) {
	t.Helper()
	defer func(a, b bool) { directA, directB = a, b }(directA, directB)
	for _, d := range []bool{true, false} {
		directA, directB = d, d
		check1(t, r, fmt.Sprintf("%s direct=%v", name, d), kern, g)
	}
}

func check1(t *testing.T, r *rand.Rand, name string, kern *microKernel, g gemmCase) {
	t.Helper()
	ar, ac := g.m, g.k
	if g.tA {
		ar, ac = g.k, g.m
	}
	br, bc := g.k, g.n
	if g.tB {
		br, bc = g.n, g.k
	}
	fill := func(rows, cols, ld int) []float32 {
		if rows == 0 {
			return make([]float32, 1)
		}
		s := make([]float32, (rows-1)*ld+cols)
		for i := range s {
			s[i] = float32(r.NormFloat64())
		}
		return s
	}
	a := fill(ar, ac, g.lda)
	b := fill(br, bc, g.ldb)
	c := fill(g.m, g.n, g.ldc)
	// Padding between rows of C must survive; the window gets NaN
	// garbage when beta is 0.
	for i := range c {
		if i%g.ldc >= g.n {
			c[i] = 12345
		} else if g.beta == 0 && i%3 == 0 {
			c[i] = float32(math.NaN())
		}
	}
	want := refGemm(g.tA, g.tB, g.m, g.n, g.k, g.alpha, a, g.lda, b, g.ldb, g.beta, c, g.ldc)
	got := append([]float32(nil), c...)
	sgemmGo(kern, g.tA, g.tB, g.m, g.n, g.k, g.alpha, a, g.lda, b, g.ldb, g.beta, got, g.ldc)
	tol := 1e-5 * math.Sqrt(float64(g.k)+1) * 4
	for i := range want {
		if math.IsNaN(want[i]) { // an untouched NaN outside the window
			if !math.IsNaN(float64(got[i])) {
				t.Fatalf("%s %v: C[%d] = %v, want it untouched (NaN)", name, g, i, got[i])
			}
			continue
		}
		if math.IsNaN(float64(got[i])) || math.Abs(float64(got[i])-want[i]) > tol*(1+math.Abs(want[i])) {
			t.Fatalf("%s %v: C[%d,%d] = %v, want %v", name, g, i/g.ldc, i%g.ldc, got[i], want[i])
		}
	}
}

func TestSgemmGoShapes(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	sizes := []int{0, 1, 2, 5, 6, 7, 15, 16, 17, 33, 97}
	for name, kern := range kernels() {
		for _, m := range sizes {
			for _, n := range sizes {
				for _, k := range []int{0, 1, 3, 16, 31} {
					for tc := 0; tc < 4; tc++ {
						tA, tB := tc&1 != 0, tc&2 != 0
						g := gemmCase{tA: tA, tB: tB, m: m, n: n, k: k, alpha: 1, beta: 0}
						g.lda, g.ldb, g.ldc = max(k, 1), max(n, 1), max(n, 1)
						if tA {
							g.lda = max(m, 1)
						}
						if tB {
							g.ldb = max(k, 1)
						}
						switch (m + n + k) % 3 {
						case 1:
							g.alpha, g.beta = 1.5, 0.5
						case 2:
							g.alpha, g.beta = -0.75, 1
							g.lda += 3
							g.ldb += 5
							g.ldc += 7
						}
						check(t, r, name, kern, g)
					}
				}
			}
		}
	}
}

// TestSgemmGoBlocks covers products larger than one packed block in every
// dimension (k > kcMax, m > mcMax, n > ncMax) and the goroutine split.
func TestSgemmGoBlocks(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	cases := []gemmCase{
		{m: 150, n: 150, k: 150, alpha: 1, beta: 0},
		{m: 200, n: 40, k: 600, alpha: 0.5, beta: 2},
		{m: 13, n: ncMax + 21, k: 7, alpha: 1, beta: 1},
		{m: mcMax*2 + 5, n: 19, k: kcMax + 1, alpha: 2, beta: 0},
		{m: 301, n: 151, k: 29, alpha: 1, beta: -1},
	}
	saved := parMinMNK
	defer func() { parMinMNK = saved }()
	for _, par := range []int64{1 << 62, 1} {
		parMinMNK = par
		for name, kern := range kernels() {
			for _, g := range cases {
				for tc := 0; tc < 4; tc++ {
					g.tA, g.tB = tc&1 != 0, tc&2 != 0
					g.lda, g.ldb, g.ldc = g.k+1, g.n+2, g.n+3
					if g.tA {
						g.lda = g.m + 1
					}
					if g.tB {
						g.ldb = g.k + 2
					}
					check(t, r, name, kern, g)
				}
			}
		}
	}
}

// TestSgemmGoRandom draws random shapes, strides, transposes and scalars.
func TestSgemmGoRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	saved := parMinMNK
	defer func() { parMinMNK = saved }()
	scalars := []float32{0, 1, -1, 0.5, 3}
	for it := 0; it < 300; it++ {
		parMinMNK = []int64{1, 1 << 62}[it%2]
		g := gemmCase{tA: r.IntN(2) == 1, tB: r.IntN(2) == 1, m: r.IntN(70), n: r.IntN(70), k: r.IntN(300)}
		g.alpha = scalars[r.IntN(len(scalars))]
		g.beta = scalars[r.IntN(len(scalars))]
		g.lda, g.ldb, g.ldc = max(g.k, 1)+r.IntN(4), max(g.n, 1)+r.IntN(4), max(g.n, 1)+r.IntN(4)
		if g.tA {
			g.lda = max(g.m, 1) + r.IntN(4)
		}
		if g.tB {
			g.ldb = max(g.k, 1) + r.IntN(4)
		}
		for name, kern := range kernels() {
			check(t, r, name, kern, g)
		}
	}
}

// TestSgemmBetaZeroOverwrites checks the exported Sgemm, whatever path it
// takes, on beta 0 over NaN garbage, with k > 0 and k = 0.
func TestSgemmBetaZeroOverwrites(t *testing.T) {
	t.Logf("BLAS: %s", Name())
	nan := float32(math.NaN())
	for _, k := range []int{0, 2} {
		a := []float32{1, 2, 3, 4}               // 2×2 (k=2)
		b := []float32{1, 0, 0, 1}               // identity
		c := []float32{nan, nan, 7, nan, nan, 7} // 2×2 window, ldc 3
		Sgemm(gblas.NoTrans, gblas.NoTrans, 2, 2, k, 1, a, 2, b, 2, 0, c, 3)
		want := []float32{0, 0, 7, 0, 0, 7}
		if k == 2 {
			want = []float32{1, 2, 7, 3, 4, 7}
		}
		for i := range want {
			if c[i] != want[i] {
				t.Errorf("k=%d: C = %v, want %v", k, c, want)
				break
			}
		}
	}
}
