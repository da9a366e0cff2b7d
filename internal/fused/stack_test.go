package fused

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// refSigmoid is the logistic function, written out.
func refSigmoid(v float64) float64 { return 1 / (1 + math.Exp(-v)) }

func refClip(v, c float64) float64 { return math.Max(-c, math.Min(c, v)) }

// refMatVec returns concat(x, h)·k for a kernel k of n columns, as TF's
// cells compute it (one product on the concatenation).
func refMatVec(x, h, k []float64, n int) []float64 {
	xh := append(append([]float64(nil), x...), h...)
	out := make([]float64, n)
	for j := range out {
		s := 0.0
		for i, v := range xh {
			s += v * k[i*n+j]
		}
		out[j] = s
	}
	return out
}

// refStep runs one step of layer L for one sequence with TF's formulas
// (rnn_cell_impl.py): x the input, st the state, w the weights; it returns
// the output and the new state.
func refStep(L Layer, x []float64, st, w [][]float64) (out []float64, ns [][]float64) {
	U := L.U
	switch L.Kind {
	case KindLSTM:
		c, h := st[0], st[1]
		z := refMatVec(x, h, w[0], 4*U)
		for j := range z {
			z[j] += w[1][j]
		}
		nc, m := make([]float64, U), make([]float64, U)
		for k := 0; k < U; k++ {
			i, j, f, o := z[k], z[U+k], z[2*U+k], z[3*U+k]
			f += L.ForgetBias
			if L.Peepholes {
				f += w[2][k] * c[k]
				i += w[3][k] * c[k]
			}
			nc[k] = refSigmoid(f)*c[k] + refSigmoid(i)*math.Tanh(j)
			if L.ClipCell {
				nc[k] = refClip(nc[k], L.CellClip)
			}
			if L.Peepholes {
				o += w[4][k] * nc[k]
			}
			m[k] = refSigmoid(o) * math.Tanh(nc[k])
		}
		if L.Proj > 0 {
			p := w[len(w)-1]
			mp := make([]float64, L.Proj)
			for j := range mp {
				for k := 0; k < U; k++ {
					mp[j] += m[k] * p[k*L.Proj+j]
				}
				if L.ClipProj {
					mp[j] = refClip(mp[j], L.ProjClip)
				}
			}
			m = mp
		}
		return m, [][]float64{nc, m}
	case KindGRU:
		h := st[0]
		g := refMatVec(x, h, w[0], 2*U)
		r, u := make([]float64, U), make([]float64, U)
		rh := make([]float64, U)
		for k := 0; k < U; k++ {
			r[k] = refSigmoid(g[k] + w[1][k])
			u[k] = refSigmoid(g[U+k] + w[1][U+k])
			rh[k] = r[k] * h[k]
		}
		cz := refMatVec(x, rh, w[2], U)
		nh := make([]float64, U)
		for k := 0; k < U; k++ {
			c := math.Tanh(cz[k] + w[3][k])
			nh[k] = u[k]*h[k] + (1-u[k])*c
		}
		return nh, [][]float64{nh}
	}
	z := refMatVec(x, st[0], w[0], U)
	for k := range z {
		z[k] += w[1][k]
		if L.Act == Relu {
			z[k] = math.Max(z[k], 0)
		} else {
			z[k] = math.Tanh(z[k])
		}
	}
	return z, [][]float64{z}
}

// refStack runs the stack with plain loops as dynamic_rnn runs a
// MultiRNNCell: x batch-major; out batch-major, zero past a sequence's
// length; final the states after each sequence's last valid step.
func refStack(s []Layer, B, T int, x []float64, w, init [][]float64, lens []int32) (out []float64, final [][]float64) {
	lw, li := splitStack(s, B, T, w, init)
	In, H := s[0].In, s[len(s)-1].OutSize()
	out = make([]float64, B*T*H)
	final = make([][]float64, len(init))
	for i, v := range init {
		final[i] = make([]float64, len(v))
	}
	for b := 0; b < B; b++ {
		st := make([][][]float64, len(s))
		for l := range s {
			for i, sz := range s[l].StateSizes() {
				st[l] = append(st[l], append([]float64(nil), li[l][i][b*sz:(b+1)*sz]...))
			}
		}
		for t := 0; t < T && (lens == nil || int(lens[b]) > t); t++ {
			in := x[(b*T+t)*In : (b*T+t+1)*In]
			for l := range s {
				in, st[l] = refStep(s[l], in, st[l], lw[l])
			}
			copy(out[(b*T+t)*H:], in)
		}
		i := 0
		for l := range s {
			for k, sz := range s[l].StateSizes() {
				copy(final[i][b*sz:], st[l][k])
				i++
			}
		}
	}
	return out, final
}

type stackCase struct {
	name   string
	s      []Layer
	B, T   int
	lens   []int32
	zeroH0 bool // zero initial states, whose gradients are not wanted
}

func stackCases() []stackCase {
	lstm := func(in, u int) Layer { return Layer{Kind: KindLSTM, In: in, U: u, ForgetBias: 1} }
	peep := Layer{Kind: KindLSTM, In: 3, U: 4, ForgetBias: 0.5, Peepholes: true}
	clip := Layer{Kind: KindLSTM, In: 3, U: 4, ForgetBias: 1, Peepholes: true, ClipCell: true, CellClip: 0.6}
	proj := Layer{Kind: KindLSTM, In: 3, U: 4, ForgetBias: 1, Proj: 3}
	projClip := Layer{Kind: KindLSTM, In: 3, U: 5, ForgetBias: 1, Peepholes: true, ClipCell: true, CellClip: 0.8, Proj: 3, ClipProj: true, ProjClip: 0.3}
	gru := func(in, u int) Layer { return Layer{Kind: KindGRU, In: in, U: u} }
	rnn := func(in, u int, a Act) Layer { return Layer{Kind: KindRNN, In: in, U: u, Act: a} }
	return []stackCase{
		{"lstm", []Layer{lstm(3, 4)}, 3, 4, nil, false},
		{"lstm lens", []Layer{lstm(3, 4)}, 4, 5, []int32{5, 0, 2, 3}, false},
		{"lstm zero h0", []Layer{lstm(3, 4)}, 3, 4, []int32{4, 1, 2}, true},
		{"peepholes", []Layer{peep}, 3, 4, []int32{4, 2, 0}, false},
		{"cell clip", []Layer{clip}, 3, 4, nil, false},
		{"projection", []Layer{proj}, 3, 4, []int32{3, 4, 1}, false},
		{"projection clips", []Layer{projClip}, 3, 4, []int32{3, 4, 1}, false},
		{"gru", []Layer{gru(3, 4)}, 3, 4, nil, false},
		{"gru lens", []Layer{gru(3, 4)}, 4, 5, []int32{5, 0, 2, 3}, false},
		{"gru zero h0", []Layer{gru(2, 3)}, 3, 4, nil, true},
		{"rnn relu", []Layer{rnn(3, 4, Relu)}, 3, 4, []int32{4, 2, 0}, false},
		{"3 lstm", []Layer{lstm(3, 4), lstm(4, 4), lstm(4, 4)}, 3, 4, []int32{4, 1, 3}, false},
		{"3 lstm zero", []Layer{lstm(3, 4), lstm(4, 4), lstm(4, 4)}, 3, 4, nil, true},
		{"3 relu", []Layer{rnn(3, 4, Relu), rnn(4, 4, Relu), rnn(4, 4, Relu)}, 3, 4, []int32{4, 0, 2}, false},
		{"3 tanh", []Layer{rnn(3, 4, Tanh), rnn(4, 5, Tanh), rnn(5, 3, Tanh)}, 2, 3, nil, true},
		{"mixed", []Layer{projClip, gru(3, 4), rnn(4, 3, Tanh)}, 3, 4, []int32{4, 2, 1}, false},
		{"gru stack", []Layer{gru(3, 4), gru(4, 4)}, 3, 4, []int32{2, 4, 3}, false},
		{"one step", []Layer{lstm(3, 4), gru(4, 3)}, 3, 1, []int32{1, 0, 1}, false},
		// Wide enough for the AVX2 loops (8 at a time) and their tails.
		{"wide lstm gru", []Layer{lstm(2, 9), gru(9, 10)}, 3, 3, []int32{3, 1, 2}, false},
	}
}

// stackData draws a case's inputs, weights and initial states.
func stackData(r *rand.Rand, tc stackCase) (x []float64, w, init [][]float64) {
	x = randn(r, tc.B*tc.T*tc.s[0].In, 1)
	for _, L := range tc.s {
		for _, n := range L.WeightSizes() {
			w = append(w, randn(r, n, 0.6))
		}
		for _, n := range L.StateSizes() {
			v := randn(r, tc.B*n, 0.7)
			if tc.zeroH0 {
				clear(v)
			}
			init = append(init, v)
		}
	}
	return x, w, init
}

func newLike(v [][]float64) [][]float64 {
	out := make([][]float64, len(v))
	for i, e := range v {
		out[i] = make([]float64, len(e))
	}
	return out
}

func TestStackAgainstReference(t *testing.T) {
	for _, p := range []int{1, 2, 3} {
		t.Run(fmt.Sprint("parts ", p), func(t *testing.T) {
			defer parallel(p)()
			testStack(t)
		})
	}
}

func testStack(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for _, tc := range stackCases() {
		for _, tm := range []bool{false, true} {
			x, w, init := stackData(r, tc)
			B, T, In, H := tc.B, tc.T, tc.s[0].In, tc.s[len(tc.s)-1].OutSize()
			wantOut, wantFinal := refStack(tc.s, B, T, x, w, init, tc.lens)
			xx, want := x, wantOut
			if tm {
				xx, want = transposeBT(x, B, T, In), transposeBT(wantOut, B, T, H)
			}
			out := make([]float64, B*T*H)
			for i := range out {
				out[i] = math.NaN() // every element must be written
			}
			final := newLike(init)
			work := make([]float64, WorkSize(tc.s, B, T))
			StackForward(tc.s, B, T, tm, xx, w, init, tc.lens, out, final, work)
			near := func(what string, got, want []float64) {
				t.Helper()
				for i := range want {
					if !(math.Abs(got[i]-want[i]) <= 1e-12) {
						t.Fatalf("%s (time major %v): %s[%d] = %v, want %v", tc.name, tm, what, i, got[i], want[i])
					}
				}
			}
			near("out", out, want)
			for i := range final {
				near(fmt.Sprint("final ", i), final[i], wantFinal[i])
			}
			// Forward without work (inference, in chunks of 1, 2 and
			// the default number of sequences) gives the same outputs and
			// final states, and without out the same final states.
			for _, rows := range []int{1, 2, inferRows} {
				old := inferRows
				inferRows = rows
				out2, final2 := make([]float64, len(out)), newLike(init)
				StackForward(tc.s, B, T, tm, xx, w, init, tc.lens, out2, final2, nil)
				near(fmt.Sprint("out without work, chunks of ", rows), out2, want)
				for i := range final {
					near(fmt.Sprint("final without work ", i), final2[i], wantFinal[i])
				}
				final2 = newLike(init)
				StackForward(tc.s, B, T, tm, xx, w, init, tc.lens, nil, final2, nil)
				for i := range final {
					near(fmt.Sprint("final without work or out ", i), final2[i], wantFinal[i])
				}
				inferRows = old
			}

			// Backward against central differences of the reference, with
			// the gradient from the outputs and the final states, each
			// alone and together.
			for _, from := range []string{"both", "out", "final"} {
				wOut := randn(r, len(out), 1)
				wFin := make([][]float64, len(init))
				for i, v := range init {
					wFin[i] = randn(r, len(v), 1)
				}
				dOut, dFinal := wOut, wFin
				switch from {
				case "out":
					dFinal = nil
					for i := range wFin {
						clear(wFin[i])
					}
				case "final":
					dOut = nil
					clear(wOut)
				}
				dOutTM := dOut
				if tm && dOut != nil {
					dOutTM = transposeBT(dOut, B, T, H)
				}
				dx := make([]float64, len(x))
				dw := newLike(w)
				dinit := newLike(init)
				if tc.zeroH0 {
					dinit = make([][]float64, len(init)) // not wanted
				}
				StackBackward(tc.s, B, T, tm, xx, w, init, tc.lens, work, dOutTM, dFinal, dx, dw, dinit)
				if tm {
					dx = transposeBT(dx, T, B, In) // [T,B,In] back to [B,T,In]
				}
				lossOf := func() float64 {
					o, f := refStack(tc.s, B, T, x, w, init, tc.lens)
					s := 0.0
					for i, v := range o {
						s += v * wOut[i]
					}
					for i := range f {
						for j, v := range f[i] {
							s += v * wFin[i][j]
						}
					}
					return s
				}
				check := func(name string, p, g []float64) {
					t.Helper()
					for i := range p {
						orig := p[i]
						const h = 1e-6
						p[i] = orig + h
						fp := lossOf()
						p[i] = orig - h
						fm := lossOf()
						p[i] = orig
						num := (fp - fm) / (2 * h)
						if math.Abs(num-g[i]) > 1e-6*math.Max(1, math.Abs(num)) {
							t.Fatalf("%s (time major %v, from %s): d%s[%d] = %v, numeric %v", tc.name, tm, from, name, i, g[i], num)
						}
					}
				}
				check("x", x, dx)
				for i := range w {
					check(fmt.Sprint("w", i), w[i], dw[i])
				}
				if !tc.zeroH0 {
					for i := range init {
						check(fmt.Sprint("init", i), init[i], dinit[i])
					}
				}
			}
		}
	}
}

// TestStackFloat32 checks the float32 kernels (fastmath's tanh and
// sigmoid) against the float64 ones.
func TestStackFloat32(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	to32 := func(v []float64) []float32 {
		if v == nil {
			return nil
		}
		o := make([]float32, len(v))
		for i, e := range v {
			o[i] = float32(e)
		}
		return o
	}
	all32 := func(v [][]float64) [][]float32 {
		o := make([][]float32, len(v))
		for i, e := range v {
			o[i] = to32(e)
		}
		return o
	}
	for _, p := range []int{1, 2} {
		defer parallel(p)()
		for _, tc := range stackCases() {
			x, w, init := stackData(r, tc)
			B, T, H := tc.B, tc.T, tc.s[len(tc.s)-1].OutSize()
			for i := range x { // float32 values in both
				x[i] = float64(float32(x[i]))
			}
			for _, v := range append(append([][]float64{}, w...), init...) {
				for i := range v {
					v[i] = float64(float32(v[i]))
				}
			}
			out64, out32 := make([]float64, B*T*H), make([]float32, B*T*H)
			f64, f32 := newLike(init), all32(newLike(init))
			w64, w32 := make([]float64, WorkSize(tc.s, B, T)), make([]float32, WorkSize(tc.s, B, T))
			StackForward(tc.s, B, T, false, x, w, init, tc.lens, out64, f64, w64)
			StackForward(tc.s, B, T, false, to32(x), all32(w), all32(init), tc.lens, out32, f32, w32)
			near := func(what string, a []float32, b []float64) {
				t.Helper()
				for i := range b {
					if math.Abs(float64(a[i])-b[i]) > 2e-5 {
						t.Fatalf("%s: %s[%d] float32 %v, float64 %v", tc.name, what, i, a[i], b[i])
					}
				}
			}
			near("out", out32, out64)
			dOut := randn(r, len(out64), 1)
			dx64, dx32 := make([]float64, len(x)), make([]float32, len(x))
			dw64, dw32 := newLike(w), all32(newLike(w))
			di64, di32 := newLike(init), all32(newLike(init))
			StackBackward(tc.s, B, T, false, x, w, init, tc.lens, w64, dOut, nil, dx64, dw64, di64)
			StackBackward(tc.s, B, T, false, to32(x), all32(w), all32(init), tc.lens, w32, to32(dOut), nil, dx32, dw32, di32)
			near("dx", dx32, dx64)
			for i := range dw64 {
				near(fmt.Sprint("dw", i), dw32[i], dw64[i])
			}
			for i := range di64 {
				near(fmt.Sprint("dinit", i), di32[i], di64[i])
			}
		}
	}
}
