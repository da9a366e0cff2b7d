package fused

import (
	"math"
	"math/rand/v2"
	"testing"
)

// reference computes the layer with plain loops, batch-major, float64.
// states is time-major [T,B,U], the state carried past a sequence's length.
func reference(d Dims, act Act, x, k, bias, h0 []float64, lens []int32) (out, final, states []float64) {
	B, T, In, U := d.B, d.T, d.In, d.U
	out = make([]float64, B*T*U)
	final = make([]float64, B*U)
	states = make([]float64, T*B*U)
	for b := 0; b < B; b++ {
		h := append([]float64(nil), h0[b*U:(b+1)*U]...)
		for t := 0; t < T; t++ {
			if lens != nil && int(lens[b]) <= t {
				copy(states[(t*B+b)*U:], h)
				continue
			}
			nh := make([]float64, U)
			for j := 0; j < U; j++ {
				s := bias[j]
				for i := 0; i < In; i++ {
					s += x[(b*T+t)*In+i] * k[i*U+j]
				}
				for i := 0; i < U; i++ {
					s += h[i] * k[(In+i)*U+j]
				}
				if act == Relu {
					nh[j] = math.Max(s, 0)
				} else {
					nh[j] = math.Tanh(s)
				}
			}
			h = nh
			copy(out[(b*T+t)*U:], h)
			copy(states[(t*B+b)*U:], h)
		}
		copy(final[b*U:], h)
	}
	return out, final, states
}

// loss = Σ out·wOut + Σ final·wFin + Σ states·wSt, so dOut = wOut, dFinal =
// wFin and dStates = wSt (wSt may be nil).
func loss(d Dims, act Act, x, k, bias, h0 []float64, lens []int32, wOut, wFin, wSt []float64) float64 {
	out, final, states := reference(d, act, x, k, bias, h0, lens)
	s := 0.0
	for i := range wSt {
		s += states[i] * wSt[i]
	}
	for i, v := range out {
		s += v * wOut[i]
	}
	for i, v := range final {
		s += v * wFin[i]
	}
	return s
}

func randn(r *rand.Rand, n int, scale float64) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = r.NormFloat64() * scale
	}
	return v
}

func TestForwardBackwardAgainstReference(t *testing.T) {
	testForwardBackward(t)
}

// parallel sets the layers' parallelism to p parts of at least one row
// (1: none) and returns the function restoring it.
func parallel(p int) (restore func()) {
	m, r, f := concurrentMNK, minRows, procs
	concurrentMNK, minRows, procs = 0, 1, func() int { return p }
	return func() { concurrentMNK, minRows, procs = m, r, f }
}

// TestConcurrent is TestForwardBackwardAgainstReference and
// TestForwardWithout with the batch split into 2 and 3 parts, each run by
// its own goroutine.
func TestConcurrent(t *testing.T) {
	for _, p := range []int{2, 3} {
		restore := parallel(p)
		testForwardBackward(t)
		testForwardWithout(t)
		restore()
	}
}

func testForwardBackward(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, tc := range []struct {
		d      Dims
		act    Act
		lens   []int32
		zeroH0 bool // a zero initial state, whose gradient is not wanted
	}{
		{Dims{B: 3, T: 4, In: 2, U: 5}, Tanh, nil, false},
		{Dims{B: 3, T: 4, In: 2, U: 5}, Relu, nil, false},
		{Dims{B: 3, T: 4, In: 2, U: 5}, Tanh, []int32{4, 0, 2}, false},
		{Dims{B: 1, T: 3, In: 3, U: 2}, Tanh, nil, false},
		{Dims{B: 2, T: 1, In: 1, U: 3}, Relu, []int32{1, 0}, false},
		{Dims{B: 3, T: 4, In: 1, U: 5}, Relu, []int32{4, 2, 3}, false},
		{Dims{B: 3, T: 3, In: 6, U: 4}, Tanh, []int32{3, 1, 0}, false}, // In > smallIn
		{Dims{B: 3, T: 4, In: 1, U: 5}, Relu, nil, true},
		{Dims{B: 3, T: 4, In: 2, U: 5}, Tanh, []int32{4, 0, 2}, true},
		{Dims{B: 2, T: 1, In: 6, U: 3}, Tanh, nil, true},
	} {
		d := tc.d
		x := randn(r, d.B*d.T*d.In, 1)
		k := randn(r, (d.In+d.U)*d.U, 0.5)
		bias := randn(r, d.U, 0.5)
		h0 := randn(r, d.B*d.U, 0.5)
		if tc.zeroH0 {
			clear(h0)
		}
		wantOut, wantFinal, wantStates := reference(d, tc.act, x, k, bias, h0, tc.lens)
		out := make([]float64, d.B*d.T*d.U)
		states := make([]float64, d.B*d.T*d.U)
		final := make([]float64, d.B*d.U)
		Forward(d, tc.act, x, k, bias, h0, tc.lens, out, states, final)
		for i := range wantOut {
			if math.Abs(out[i]-wantOut[i]) > 1e-12 {
				t.Fatalf("%+v out[%d] = %v, want %v", d, i, out[i], wantOut[i])
			}
		}
		for i := range wantFinal {
			if math.Abs(final[i]-wantFinal[i]) > 1e-12 {
				t.Fatalf("%+v final[%d] = %v, want %v", d, i, final[i], wantFinal[i])
			}
		}
		for i := range wantStates {
			if math.Abs(states[i]-wantStates[i]) > 1e-12 {
				t.Fatalf("%+v states[%d] = %v, want %v", d, i, states[i], wantStates[i])
			}
		}
		// Backward against central differences of the reference, with and
		// without a gradient for the states.
		for _, withSt := range []bool{false, true} {
			wOut := randn(r, len(out), 1)
			wFin := randn(r, len(final), 1)
			var wSt []float64
			if withSt {
				wSt = randn(r, len(states), 1)
			}
			dx := make([]float64, len(x))
			dk := make([]float64, len(k))
			db := make([]float64, len(bias))
			dh0 := make([]float64, len(h0))
			if tc.zeroH0 {
				dh0 = nil
			}
			Backward(d, tc.act, x, k, h0, tc.lens, states, wOut, wFin, wSt, dx, dk, db, dh0)
			check := func(name string, p, g []float64) {
				for i := range p {
					orig := p[i]
					const h = 1e-6
					p[i] = orig + h
					fp := loss(d, tc.act, x, k, bias, h0, tc.lens, wOut, wFin, wSt)
					p[i] = orig - h
					fm := loss(d, tc.act, x, k, bias, h0, tc.lens, wOut, wFin, wSt)
					p[i] = orig
					num := (fp - fm) / (2 * h)
					if math.Abs(num-g[i]) > 1e-6*math.Max(1, math.Abs(num)) {
						t.Fatalf("%+v act %d lens %v: d%s[%d] = %v, numeric %v", d, tc.act, tc.lens, name, i, g[i], num)
					}
				}
			}
			check("x", x, dx)
			check("k", k, dk)
			check("bias", bias, db)
			if !tc.zeroH0 {
				check("h0", h0, dh0)
			}
		}
	}
}

// transposeBT turns a [B,T,n] slice into [T,B,n].
func transposeBT(v []float64, B, T, n int) []float64 {
	w := make([]float64, len(v))
	for b := 0; b < B; b++ {
		for t := 0; t < T; t++ {
			copy(w[(t*B+b)*n:(t*B+b+1)*n], v[(b*T+t)*n:(b*T+t+1)*n])
		}
	}
	return w
}

// TestForwardWithout checks Forward when some outputs are not wanted (nil):
// without states it runs step by step, and must give the same out and
// final, batch-major and time-major.
func TestForwardWithout(t *testing.T) { testForwardWithout(t) }

func testForwardWithout(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, tc := range []struct {
		d         Dims
		act       Act
		lens      []int32
		noOut     bool
		noStates  bool
		timeMajor bool
	}{
		{Dims{B: 3, T: 4, In: 2, U: 5}, Tanh, nil, false, true, false},
		{Dims{B: 3, T: 4, In: 2, U: 5}, Tanh, nil, true, true, false},
		{Dims{B: 3, T: 4, In: 2, U: 5}, Relu, []int32{4, 0, 2}, false, true, false},
		{Dims{B: 3, T: 4, In: 2, U: 5}, Tanh, []int32{1, 3, 4}, false, true, true},
		{Dims{B: 3, T: 4, In: 2, U: 5}, Tanh, []int32{1, 3, 4}, true, false, true},
		{Dims{B: 2, T: 3, In: 3, U: 4}, Relu, nil, true, false, false},
		{Dims{B: 1, T: 3, In: 3, U: 2}, Tanh, nil, false, true, false},
		{Dims{B: 0, T: 3, In: 3, U: 2}, Tanh, nil, false, true, false},
		{Dims{B: 4, T: 3, In: 6, U: 3}, Relu, []int32{3, 1, 0, 2}, false, true, false},
		{Dims{B: 4, T: 3, In: 6, U: 3}, Tanh, nil, false, false, true},
		{Dims{B: 3, T: 4, In: 1, U: 9}, Relu, nil, false, true, true},
		{Dims{B: 3, T: 4, In: 1, U: 9}, Relu, nil, true, false, false},
	} {
		d := tc.d
		x := randn(r, d.B*d.T*d.In, 1)
		k := randn(r, (d.In+d.U)*d.U, 0.5)
		bias := randn(r, d.U, 0.5)
		h0 := randn(r, d.B*d.U, 0.5)
		wantOut, wantFinal, wantStates := reference(d, tc.act, x, k, bias, h0, tc.lens)
		d.TimeMajor = tc.timeMajor
		if tc.timeMajor {
			x = transposeBT(x, d.B, d.T, d.In)
			wantOut = transposeBT(wantOut, d.B, d.T, d.U)
		}
		var out, states []float64
		if !tc.noOut {
			out = make([]float64, d.B*d.T*d.U)
			for i := range out {
				out[i] = math.NaN() // every element must be written
			}
		}
		if !tc.noStates {
			states = make([]float64, d.B*d.T*d.U)
		}
		final := make([]float64, d.B*d.U)
		Forward(d, tc.act, x, k, bias, h0, tc.lens, out, states, final)
		for i := range out {
			if math.Abs(out[i]-wantOut[i]) > 1e-12 || math.IsNaN(out[i]) {
				t.Fatalf("%+v out[%d] = %v, want %v", tc, i, out[i], wantOut[i])
			}
		}
		for i := range states {
			if math.Abs(states[i]-wantStates[i]) > 1e-12 {
				t.Fatalf("%+v states[%d] = %v, want %v", tc, i, states[i], wantStates[i])
			}
		}
		for i := range wantFinal {
			if math.Abs(final[i]-wantFinal[i]) > 1e-12 {
				t.Fatalf("%+v final[%d] = %v, want %v", tc, i, final[i], wantFinal[i])
			}
		}
	}
}

// TestBackwardTimeMajor checks that Backward gives the same gradients on
// time-major data as on batch-major data (checked against central
// differences above), in one part and split in three.
func TestBackwardTimeMajor(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for _, conc := range []bool{false, true} {
		if conc {
			defer parallel(3)()
		} else {
			defer parallel(1)()
		}
		for _, lens := range [][]int32{nil, {3, 0, 5, 1}} {
			d := Dims{B: 4, T: 5, In: 3, U: 6}
			x := randn(r, d.B*d.T*d.In, 1)
			k := randn(r, (d.In+d.U)*d.U, 0.5)
			bias := randn(r, d.U, 0.5)
			h0 := randn(r, d.B*d.U, 0.5)
			_, _, states := reference(d, Tanh, x, k, bias, h0, lens)
			dOut := randn(r, d.B*d.T*d.U, 1)
			dFinal := randn(r, d.B*d.U, 1)
			dSt := randn(r, d.B*d.T*d.U, 1)
			grads := func(d Dims, x, dOut []float64) (dx, dk, db, dh0 []float64) {
				dx = make([]float64, len(x))
				dk = make([]float64, len(k))
				db = make([]float64, len(bias))
				dh0 = make([]float64, len(h0))
				Backward(d, Tanh, x, k, h0, lens, states, dOut, dFinal, dSt, dx, dk, db, dh0)
				return
			}
			bx, bk, bb, bh := grads(d, x, dOut)
			tm := d
			tm.TimeMajor = true
			tx, tk, tb, th := grads(tm, transposeBT(x, d.B, d.T, d.In), transposeBT(dOut, d.B, d.T, d.U))
			for _, c := range []struct {
				name string
				a, b []float64
			}{{"dx", transposeBT(bx, d.B, d.T, d.In), tx}, {"dk", bk, tk}, {"dbias", bb, tb}, {"dh0", bh, th}} {
				for i := range c.a {
					if math.Abs(c.a[i]-c.b[i]) > 1e-12 {
						t.Fatalf("concurrent %v lens %v: %s[%d] batch-major %v, time-major %v", conc, lens, c.name, i, c.a[i], c.b[i])
					}
				}
			}
		}
	}
}

// TestReluGrad checks the branch-free ReLU gradient: the incoming gradient
// passes where h > 0 (and where h is NaN, as h <= 0 is false), else 0.
func TestReluGrad(t *testing.T) {
	h := []float64{1, 0, math.Copysign(0, -1), -2, 1e-40, math.Inf(1), math.NaN(), 3}
	c := []float64{1, 2, 3, 4, 5, 6, 7, 8}
	o := []float64{10, 20, 30, 40, 50, 60, 70, 80}
	for _, withO := range []bool{false, true} {
		want := make([]float64, len(h))
		for i := range h {
			if !(h[i] <= 0) {
				want[i] = c[i]
				if withO {
					want[i] += o[i]
				}
			}
		}
		var o64 []float64
		var o32 []float32
		if withO {
			o64 = o
			o32 = make([]float32, len(o))
			for i, v := range o {
				o32[i] = float32(v)
			}
		}
		got := make([]float64, len(h))
		reluGrad64(got, c, o64, h)
		h32, c32, got32 := make([]float32, len(h)), make([]float32, len(h)), make([]float32, len(h))
		for i := range h {
			h32[i], c32[i] = float32(h[i]), float32(c[i])
		}
		reluGrad32(got32, c32, o32, h32)
		for i := range want {
			if got[i] != want[i] || float64(got32[i]) != want[i] {
				t.Errorf("o %v: h=%v: got %v (float32 %v), want %v", withO, h[i], got[i], got32[i], want[i])
			}
		}
	}
}

// TestFloat32 checks the float32 kernels (their own branch-free and
// vector paths) against the float64 ones, which the tests above check
// against central differences.
func TestFloat32(t *testing.T) {
	for _, p := range []int{1, 2, 3} {
		restore := parallel(p)
		testFloat32(t)
		restore()
	}
}

func testFloat32(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	for _, tc := range []struct {
		d       Dims
		act     Act
		lens    []int32
		perStep bool // the gradient comes from every step's output, else from the final state
	}{
		{Dims{B: 5, T: 6, In: 1, U: 20}, Relu, nil, true},
		{Dims{B: 5, T: 6, In: 1, U: 20}, Relu, nil, false},
		{Dims{B: 5, T: 6, In: 1, U: 19}, Relu, []int32{6, 0, 3, 5, 1}, true},
		{Dims{B: 4, T: 5, In: 3, U: 17}, Relu, nil, true},
		{Dims{B: 4, T: 5, In: 3, U: 17}, Tanh, []int32{5, 2, 0, 4}, false},
		{Dims{B: 4, T: 5, In: 7, U: 9}, Tanh, nil, true},
	} {
		d := tc.d
		x := randn(r, d.B*d.T*d.In, 1)
		k := randn(r, (d.In+d.U)*d.U, 0.3)
		bias := randn(r, d.U, 0.3)
		h0 := randn(r, d.B*d.U, 0.3)
		var dOut, dFin []float64
		if tc.perStep {
			dOut = randn(r, d.B*d.T*d.U, 1)
		} else {
			dFin = randn(r, d.B*d.U, 1)
		}
		run64 := func() [][]float64 {
			out, states, final := make([]float64, d.B*d.T*d.U), make([]float64, d.B*d.T*d.U), make([]float64, d.B*d.U)
			Forward(d, tc.act, x, k, bias, h0, tc.lens, out, states, final)
			dx, dk, db, dh0 := make([]float64, len(x)), make([]float64, len(k)), make([]float64, len(bias)), make([]float64, len(h0))
			Backward(d, tc.act, x, k, h0, tc.lens, states, dOut, dFin, nil, dx, dk, db, dh0)
			return [][]float64{out, final, dx, dk, db, dh0}
		}
		f32 := func(v []float64) []float32 {
			if v == nil {
				return nil
			}
			w := make([]float32, len(v))
			for i, e := range v {
				w[i] = float32(e)
			}
			return w
		}
		run32 := func() [][]float32 {
			x, k, bias, h0 := f32(x), f32(k), f32(bias), f32(h0)
			out, states, final := make([]float32, d.B*d.T*d.U), make([]float32, d.B*d.T*d.U), make([]float32, d.B*d.U)
			Forward(d, tc.act, x, k, bias, h0, tc.lens, out, states, final)
			dx, dk, db, dh0 := make([]float32, len(x)), make([]float32, len(k)), make([]float32, len(bias)), make([]float32, len(h0))
			Backward(d, tc.act, x, k, h0, tc.lens, states, f32(dOut), f32(dFin), nil, dx, dk, db, dh0)
			return [][]float32{out, final, dx, dk, db, dh0}
		}
		want, got := run64(), run32()
		names := []string{"out", "final", "dx", "dk", "dbias", "dh0"}
		for j := range want {
			for i := range want[j] {
				if g := float64(got[j][i]); math.Abs(g-want[j][i]) > 1e-4*math.Max(1, math.Abs(want[j][i])) {
					t.Fatalf("%+v %v: float32 %s[%d] = %v, float64 %v", d, tc.act, names[j], i, g, want[j][i])
				}
			}
		}
	}
}

// blasPropagatesNaN reports whether the float64 matrix product in use
// computes 0·NaN as NaN (OpenBLAS does, as TF's Eigen product; gonum skips
// zero operands and gives 0).
func blasPropagatesNaN() bool {
	c := []float64{0}
	gemm(false, false, 1, 1, 1, 1, []float64{0}, 1, []float64{math.NaN()}, 1, 0, c, 1)
	return math.IsNaN(c[0])
}

// TestZeroStateNonFinite checks that a zero initial state still carries the
// kernel's NaNs and infinities into the first step (0·NaN and 0·Inf are
// NaN, as in TF's product), and a NaN gradient into dWh: skipping the
// products of a zero state must not change what the product would give.
func TestZeroStateNonFinite(t *testing.T) {
	nanWanted := blasPropagatesNaN()
	t.Logf("the matrix product in use propagates 0·NaN as NaN: %v", nanWanted)
	d := Dims{B: 2, T: 1, In: 1, U: 3}
	for _, bad := range []float64{math.NaN(), math.Inf(1)} {
		x := []float64{1, 2}
		k := []float64{0.1, 0.2, 0.3, 0, 0, 0, 0, bad, 0, 0, 0, 0} // Wh[1][1] is bad
		bias := []float64{0, 0, 0}
		h0 := make([]float64, d.B*d.U)
		out, states, final := make([]float64, 6), make([]float64, 6), make([]float64, 6)
		Forward(d, Tanh, x, k, bias, h0, nil, out, states, final)
		for b := 0; b < 2; b++ {
			if math.IsNaN(out[b*3+1]) != nanWanted || math.IsNaN(out[b*3]) {
				t.Errorf("Wh[1][1] = %v: out row %d = %v, want NaN in column 1 only: %v", bad, b, out[b*3:b*3+3], nanWanted)
			}
		}
	}
	// A NaN output gradient reaches dWh through the zero initial state.
	x := []float64{1, 2}
	k := make([]float64, 12)
	h0 := make([]float64, 6)
	out, states, final := make([]float64, 6), make([]float64, 6), make([]float64, 6)
	Forward(d, Tanh, x, k, make([]float64, 3), h0, nil, out, states, final)
	dOut := []float64{0, math.NaN(), 0, 0, 0, 0}
	dk, db := make([]float64, 12), make([]float64, 3)
	Backward(d, Tanh, x, k, h0, nil, states, dOut, nil, nil, nil, dk, db, nil)
	if math.IsNaN(dk[3+1]) != nanWanted {
		t.Errorf("dWh = %v, want NaN in column 1: %v", dk[3:], nanWanted)
	}
}
