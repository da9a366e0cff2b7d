package kernels

import (
	"math"
	"math/rand/v2"
	"reflect"
	"testing"

	"gorgonia.org/tensor"
)

// seq returns 1, 2, ..., n as float64s.
func seq(n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = float64(i + 1)
	}
	return out
}

// at returns the row-major offset of index idx in shape, reading
// broadcast axes (dimension 1) at 0 and aligning shapes on the right: the
// textbook definition of numpy broadcasting, independent of the strides
// the kernels use.
func at(shape, idx []int) int {
	off := 0
	lead := len(idx) - len(shape)
	for d, n := range shape {
		i := idx[lead+d]
		if n == 1 {
			i = 0
		}
		off = off*n + i
	}
	return off
}

// unravel returns the multi-index of flat offset i in shape.
func unravel(i int, shape []int) []int {
	idx := make([]int, len(shape))
	for d := len(shape) - 1; d >= 0; d-- {
		idx[d] = i % shape[d]
		i /= shape[d]
	}
	return idx
}

func TestBroadcast(t *testing.T) {
	for _, c := range []struct{ as, bs, os []int }{
		{[]int{2, 3}, []int{2, 3}, []int{2, 3}},
		{[]int{2, 3}, []int{}, []int{2, 3}},
		{[]int{}, []int{2, 3}, []int{2, 3}},
		{[]int{4, 3}, []int{3}, []int{4, 3}},
		{[]int{3}, []int{4, 3}, []int{4, 3}},
		{[]int{4, 1}, []int{1, 3}, []int{4, 3}},
		{[]int{2, 1, 3}, []int{4, 1}, []int{2, 4, 3}},
		{[]int{2, 4, 3}, []int{1, 4, 1}, []int{2, 4, 3}},
		{[]int{5, 2, 3}, []int{1, 2, 3}, []int{5, 2, 3}},
		{[]int{0, 3}, []int{3}, []int{0, 3}},
	} {
		a, b := seq(Numel(c.as)), seq(Numel(c.bs))
		for i := range b {
			b[i] *= 100
		}
		out := make([]float64, Numel(c.os))
		Broadcast(a, c.as, b, c.bs, out, c.os, func(x, y float64) float64 { return x - y })
		for i := range out {
			idx := unravel(i, c.os)
			want := a[at(c.as, idx)] - b[at(c.bs, idx)]
			if out[i] != want {
				t.Errorf("%v op %v: out[%v] = %v, want %v", c.as, c.bs, idx, out[i], want)
			}
		}
	}
}

func TestBinaryCompareUnaryApply(t *testing.T) {
	a32, b32 := []float32{1, -2, 3, 4}, []float32{2, 2, -1, 4}
	o32 := make([]float32, 4)
	cases := []struct {
		f    Binary
		want []float32
	}{
		{Add, []float32{3, 0, 2, 8}},
		{Sub, []float32{-1, -4, 4, 0}},
		{Mul, []float32{2, -4, -3, 16}},
		{Div, []float32{0.5, -1, -3, 1}},
		{Maximum, []float32{2, 2, 3, 4}},
		{Minimum, []float32{1, -2, -1, 4}},
		{Pow, []float32{1, 4, 1. / 3, 256}},
	}
	for i, c := range cases {
		if !c.f.Apply(a32, []int{4}, b32, []int{4}, o32, []int{4}) || !reflect.DeepEqual(o32, c.want) {
			t.Errorf("case %d: %v, want %v", i, o32, c.want)
		}
	}
	// Integer Div floors; Pow multiplies.
	ai, bi := []int64{7, -7, 7, -7}, []int64{2, 2, -2, -2}
	oi := make([]int64, 4)
	Div.Apply(ai, []int{4}, bi, []int{4}, oi, []int{4})
	if want := []int64{3, -4, -4, 3}; !reflect.DeepEqual(oi, want) {
		t.Errorf("int Div: %v, want %v", oi, want)
	}
	p := make([]int32, 3)
	Pow.Apply([]int32{2, 3, -2}, []int{3}, []int32{10, 0, 3}, []int{3}, p, []int{3})
	if want := []int32{1024, 1, -8}; !reflect.DeepEqual(p, want) {
		t.Errorf("int Pow: %v, want %v", p, want)
	}
	if (Binary{F32: Add.F32}).Apply([]int32{1}, nil, []int32{1}, nil, []int32{0}, nil) {
		t.Error("Apply of a missing int32 implementation reported success")
	}
	if Add.Apply([]bool{true}, nil, []bool{true}, nil, []bool{false}, nil) {
		t.Error("Add of bools reported success")
	}
	nan := float32(math.NaN())
	mx := make([]float32, 2)
	Maximum.Apply([]float32{nan, 1}, []int{2}, []float32{1, nan}, []int{2}, mx, []int{2})
	if !math.IsNaN(float64(mx[0])) {
		t.Errorf("Maximum(NaN, 1) = %v, want NaN", mx[0])
	}

	cmp := make([]bool, 4)
	for _, c := range []struct {
		f    Compare
		want []bool
	}{
		{Equal, []bool{false, false, false, true}},
		{NotEqual, []bool{true, true, true, false}},
		{Greater, []bool{false, false, true, false}},
		{GreaterEqual, []bool{false, false, true, true}},
		{Less, []bool{true, true, false, false}},
		{LessEqual, []bool{true, true, false, true}},
	} {
		if !c.f.Apply(a32, []int{4}, b32, []int{4}, cmp, []int{4}) || !reflect.DeepEqual(cmp, c.want) {
			t.Errorf("compare: %v, want %v", cmp, c.want)
		}
	}
	if Greater.Apply([]bool{true}, nil, []bool{false}, nil, cmp[:1], nil) {
		t.Error("Greater of bools reported success")
	}

	x := []float64{-2, -0.5, 0, 1.5}
	o := make([]float64, 4)
	for _, c := range []struct {
		f    Unary
		want []float64
	}{
		{Neg, []float64{2, 0.5, 0, -1.5}},
		{Abs, []float64{2, 0.5, 0, 1.5}},
		{Sign, []float64{-1, -1, 0, 1}},
		{Square, []float64{4, 0.25, 0, 2.25}},
		{Relu, []float64{0, 0, 0, 1.5}},
		{Tanh, []float64{math.Tanh(-2), math.Tanh(-0.5), 0, math.Tanh(1.5)}},
		{Sigmoid, []float64{1 / (1 + math.E*math.E), 1 / (1 + math.Exp(0.5)), 0.5, 1 / (1 + math.Exp(-1.5))}},
		{Exp, []float64{math.Exp(-2), math.Exp(-0.5), 1, math.Exp(1.5)}},
	} {
		if !c.f.Apply(x, o) {
			t.Fatal("float64 unary reported failure")
		}
		for i := range o {
			if math.Abs(o[i]-c.want[i]) > 1e-15 {
				t.Errorf("unary: %v, want %v", o, c.want)
				break
			}
		}
	}
	if Tanh.Apply([]int32{1}, []int32{0}) {
		t.Error("Tanh of int32 reported success")
	}
	// Sigmoid stays finite far out on both sides.
	if s := Sigmoid64(-800); s != 0 || Sigmoid64(800) != 1 {
		t.Errorf("Sigmoid64(-800), (800) = %v, %v; want 0, 1", s, Sigmoid64(800))
	}
}

func TestCastFillAnyIntInts(t *testing.T) {
	f := make([]float32, 4)
	Cast(f, []bool{true, false, true, true})
	if want := []float32{1, 0, 1, 1}; !reflect.DeepEqual(f, want) {
		t.Errorf("bool to float32: %v", f)
	}
	i := make([]int32, 3)
	Cast(i, []float64{-1.7, 2.9, 0})
	if want := []int32{-1, 2, 0}; !reflect.DeepEqual(i, want) {
		t.Errorf("float64 to int32 truncates: %v, want %v", i, want)
	}
	b := make([]bool, 3)
	Cast(b, []int64{0, -3, 5})
	if want := []bool{false, true, true}; !reflect.DeepEqual(b, want) {
		t.Errorf("int64 to bool: %v", b)
	}
	Fill(b, 1)
	Fill(i, 7)
	if !reflect.DeepEqual(b, []bool{true, true, true}) || !reflect.DeepEqual(i, []int32{7, 7, 7}) {
		t.Errorf("Fill: %v %v", b, i)
	}
	if !AnyInt([]int64{3, 0}, func(v int64) bool { return v == 0 }) || AnyInt([]float32{0}, func(int64) bool { return true }) {
		t.Error("AnyInt")
	}
	if got := Ints([]int64{4, -1}); !reflect.DeepEqual(got, []int{4, -1}) {
		t.Errorf("Ints: %v", got)
	}
	if got := Float64s([]int32{4, -1}); !reflect.DeepEqual(got, []float64{4, -1}) {
		t.Errorf("Float64s: %v", got)
	}
}

func TestTranspose(t *testing.T) {
	// x[i][j][k] = 100i + 10j + k; out[a][b][c] = x at the permuted index.
	xs := []int{2, 3, 4}
	x := make([]int32, 24)
	for i := range x {
		p := unravel(i, xs)
		x[i] = int32(100*p[0] + 10*p[1] + p[2])
	}
	for _, perm := range [][]int{{0, 2, 1}, {2, 1, 0}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}} {
		os := []int{xs[perm[0]], xs[perm[1]], xs[perm[2]]}
		out := make([]int32, 24)
		Transpose(out, os, x, xs, perm)
		for i := range out {
			o := unravel(i, os)
			src := make([]int, 3)
			for d, p := range perm {
				src[p] = o[d]
			}
			if want := int32(100*src[0] + 10*src[1] + src[2]); out[i] != want {
				t.Fatalf("perm %v: out%v = %d, want %d", perm, o, out[i], want)
			}
		}
	}
}

func TestStackUnstackConcatSplit(t *testing.T) {
	a, b := []float64{1, 2, 3, 4, 5, 6}, []float64{7, 8, 9, 10, 11, 12} // each 2x3
	s := []int{2, 3}
	for _, c := range []struct {
		axis int
		want []float64
	}{
		{0, []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}},
		{1, []float64{1, 2, 3, 7, 8, 9, 4, 5, 6, 10, 11, 12}},
		{2, []float64{1, 7, 2, 8, 3, 9, 4, 10, 5, 11, 6, 12}},
	} {
		out := make([]float64, 12)
		Stack(out, []any{a, b}, s, c.axis)
		if !reflect.DeepEqual(out, c.want) {
			t.Errorf("Stack axis %d: %v, want %v", c.axis, out, c.want)
		}
		os := append(append(append([]int{}, s[:c.axis]...), 2), s[c.axis:]...)
		ua, ub := make([]float64, 6), make([]float64, 6)
		Unstack([]any{ua, ub}, out, os, c.axis)
		if !reflect.DeepEqual(ua, a) || !reflect.DeepEqual(ub, b) {
			t.Errorf("Unstack axis %d: %v %v", c.axis, ua, ub)
		}
	}
	// Concat a 2x3 and a 2x1 along axis 1, then split back.
	c := []float64{-1, -2}
	out := make([]float64, 8)
	Concat(out, []int{2, 4}, []any{a, c}, [][]int{{2, 3}, {2, 1}}, 1)
	if want := []float64{1, 2, 3, -1, 4, 5, 6, -2}; !reflect.DeepEqual(out, want) {
		t.Errorf("Concat: %v, want %v", out, want)
	}
	pa, pc := make([]float64, 6), make([]float64, 2)
	Split([]any{pa, pc}, [][]int{{2, 3}, {2, 1}}, out, []int{2, 4}, 1)
	if !reflect.DeepEqual(pa, a) || !reflect.DeepEqual(pc, c) {
		t.Errorf("Split: %v %v", pa, pc)
	}
}

func TestRegionCopyGatherScatter(t *testing.T) {
	big := []int64{0, 1, 2, 3, 10, 11, 12, 13, 20, 21, 22, 23} // 3x4
	small := make([]int64, 4)
	RegionCopy(big, []int{3, 4}, small, []int{2, 2}, []int{1, 1}, true)
	if want := []int64{11, 12, 21, 22}; !reflect.DeepEqual(small, want) {
		t.Errorf("region: %v, want %v", small, want)
	}
	back := make([]int64, 12)
	RegionCopy(back, []int{3, 4}, small, []int{2, 2}, []int{1, 1}, false)
	if want := []int64{0, 0, 0, 0, 0, 11, 12, 0, 0, 21, 22, 0}; !reflect.DeepEqual(back, want) {
		t.Errorf("region back: %v, want %v", back, want)
	}
	g := make([]int64, 6)
	Gather(g, big, []int{3, 4}, 1, []int{3, 0}) // columns 3 and 0 of each row
	if want := []int64{3, 0, 13, 10, 23, 20}; !reflect.DeepEqual(g, want) {
		t.Errorf("Gather: %v, want %v", g, want)
	}
	acc := make([]float32, 6) // 3x2
	ok := ScatterAdd(acc, []int{3, 2}, 0, []int{2, 0, 2}, []float32{1, 2, 3, 4, 5, 6})
	if want := []float32{3, 4, 0, 0, 6, 8}; !ok || !reflect.DeepEqual(acc, want) {
		t.Errorf("ScatterAdd: %v, want %v (repeated index 2 accumulates)", acc, want)
	}
	// IndexedSlices pad with -1: those rows are skipped both ways.
	pad := make([]float32, 4) // 2x2
	ScatterAdd(pad, []int{2, 2}, 0, []int{-1, 1}, []float32{5, 5, 7, 8})
	rows := []float32{9, 9, 9, 9}
	Gather(rows, []float32{1, 2, 3, 4}, []int{2, 2}, 0, []int{-1, 0})
	if !reflect.DeepEqual(pad, []float32{0, 0, 7, 8}) || !reflect.DeepEqual(rows, []float32{9, 9, 1, 2}) {
		t.Errorf("index -1: ScatterAdd %v, Gather %v", pad, rows)
	}
	if ScatterAdd(make([]int32, 2), []int{2}, 0, []int{0}, []int32{1}) {
		t.Error("ScatterAdd of int32 reported success")
	}
	if err := CheckIndices([]int{0, 1, 2, 5}, []int{2, 2}, 3); err == nil || err.Error() != "indices[1,1] = 5 is not in [0, 3)" {
		t.Errorf("CheckIndices: %v", err)
	}
}

func TestReduce(t *testing.T) {
	x := []float64{1, 5, 3, 4, 2, 6} // 2x3
	xs := []int{2, 3}
	for _, c := range []struct {
		kind Reduction
		os   []int // output with reduced axes kept as 1
		want []float64
	}{
		{Sum, []int{1, 3}, []float64{5, 7, 9}},
		{Sum, []int{2, 1}, []float64{9, 12}},
		{Mean, []int{1, 1}, []float64{3.5}},
		{Max, []int{2, 1}, []float64{5, 6}},
		{Min, []int{1, 3}, []float64{1, 2, 3}},
	} {
		count := Numel(xs) / Numel(c.os)
		out := make([]float64, Numel(c.os))
		Reduce(c.kind, out, BroadcastStrides(c.os, xs), x, xs, count)
		if !reflect.DeepEqual(out, c.want) {
			t.Errorf("Reduce %d to %v: %v, want %v", c.kind, c.os, out, c.want)
		}
	}
	// Integer means truncate; empty means of floats are NaN; max of nothing
	// is the identity.
	im := make([]int32, 1)
	Reduce(Mean, im, []int{0}, []int32{1, 2, 4}, []int{3}, 3)
	if im[0] != 2 {
		t.Errorf("int mean of 1, 2, 4 = %d, want 2", im[0])
	}
	em, ex := make([]float32, 1), make([]int64, 1)
	Reduce(Mean, em, []int{0}, []float32{}, []int{0}, 0)
	Reduce(Max, ex, []int{0}, []int64{}, []int{0}, 0)
	if !math.IsNaN(float64(em[0])) || ex[0] != math.MinInt64 {
		t.Errorf("empty mean, max = %v, %v", em[0], ex[0])
	}
	// Max gradient shares among ties: row [5 5 1] with dy 6 gives 3, 3, 0.
	dx := make([]float64, 3)
	ReduceGrad(Max, dx, []int{0}, []float64{5, 5, 1}, []float64{5}, []float64{6}, []int{3}, 3)
	if want := []float64{3, 3, 0}; !reflect.DeepEqual(dx, want) {
		t.Errorf("Max grad: %v, want %v", dx, want)
	}
	ReduceGrad(Mean, dx, []int{0}, []float64{5, 5, 1}, []float64{11. / 3}, []float64{6}, []int{3}, 3)
	if want := []float64{2, 2, 2}; !reflect.DeepEqual(dx, want) {
		t.Errorf("Mean grad: %v, want %v", dx, want)
	}
	// SumTo is the transpose of broadcasting a row over 2 rows.
	row := make([]float64, 3)
	SumTo(row, BroadcastStrides([]int{3}, xs), x, xs)
	if want := []float64{5, 7, 9}; !reflect.DeepEqual(row, want) {
		t.Errorf("SumTo: %v, want %v", row, want)
	}
	bt := make([]float64, 6)
	BroadcastTo([]float64{1, 2, 3}, []int{3}, bt, xs)
	if want := []float64{1, 2, 3, 1, 2, 3}; !reflect.DeepEqual(bt, want) {
		t.Errorf("BroadcastTo: %v, want %v", bt, want)
	}
}

func TestArgExtremeAddNWhere(t *testing.T) {
	x := []float32{1, 9, 9, 4, 0, 6} // 2x3
	am := make([]int64, 2)
	ArgExtreme(am, x, []int{2, 3}, 1, true)
	if want := []int64{1, 2}; !reflect.DeepEqual(am, want) {
		t.Errorf("ArgMax rows: %v, want %v (first of ties)", am, want)
	}
	an := make([]int32, 3)
	ArgExtreme(an, x, []int{2, 3}, 0, false)
	if want := []int32{0, 1, 1}; !reflect.DeepEqual(an, want) {
		t.Errorf("ArgMin columns: %v, want %v", an, want)
	}
	sum := make([]int32, 2)
	AddN(sum, []any{[]int32{1, 2}, []int32{10, 20}, []int32{100, 200}})
	if want := []int32{111, 222}; !reflect.DeepEqual(sum, want) {
		t.Errorf("AddN: %v", sum)
	}
	w := make([]float64, 4)
	Where([]bool{true, false}, []int{1, 2}, []float64{1, 2, 3, 4}, []int{2, 2}, []float64{-1}, []int{}, w, []int{2, 2})
	if want := []float64{1, -1, 3, -1}; !reflect.DeepEqual(w, want) {
		t.Errorf("Where: %v, want %v", w, want)
	}
}

func TestRandom(t *testing.T) {
	// The same generator state gives the same numbers; uniform draws stay in
	// range and normal draws have about the asked mean and spread.
	draw := func(d Distribution, p1, p2 float64) []float64 {
		out := make([]float64, 20000)
		Random(out, rand.New(rand.NewPCG(1, 2)), d, p1, p2)
		return out
	}
	if !reflect.DeepEqual(draw(Normal, 0, 1), draw(Normal, 0, 1)) {
		t.Error("same seed, different draws")
	}
	for _, v := range draw(Uniform, -2, 3) {
		if v < -2 || v >= 3 {
			t.Fatalf("uniform draw %v outside [-2, 3)", v)
		}
	}
	for _, v := range draw(Truncated, 1, 0.5) {
		if v < 0 || v > 2 {
			t.Fatalf("truncated draw %v beyond two deviations of 1", v)
		}
	}
	n := draw(Normal, 3, 2)
	var m, s float64
	for _, v := range n {
		m += v
	}
	m /= float64(len(n))
	for _, v := range n {
		s += (v - m) * (v - m)
	}
	s = math.Sqrt(s / float64(len(n)))
	if math.Abs(m-3) > 0.05 || math.Abs(s-2) > 0.05 {
		t.Errorf("normal(3, 2): mean %v, stddev %v", m, s)
	}
	ints := make([]int32, 1000)
	Random(ints, rand.New(rand.NewPCG(1, 2)), Uniform, 5, 8)
	for _, v := range ints {
		if v < 5 || v >= 8 {
			t.Fatalf("integer draw %d outside [5, 8)", v)
		}
	}
}

func TestViewAndBacking(t *testing.T) {
	d := tensor.New(tensor.WithShape(2, 3), tensor.WithBacking([]float32{1, 2, 3, 4, 5, 6}))
	v := View(d, []int{3, 2})
	if !reflect.DeepEqual([]int(v.Shape()), []int{3, 2}) {
		t.Errorf("view shape %v", v.Shape())
	}
	Data[float32](v)[0] = 9
	if Data[float32](d)[0] != 9 {
		t.Error("view does not share data")
	}
	s := View(tensor.New(tensor.WithShape(1), tensor.WithBacking([]int64{4})), nil)
	if len(s.Shape()) != 0 || Backing(s).([]int64)[0] != 4 {
		t.Errorf("scalar view: %v", s)
	}
	if got := BroadcastStrides([]int{3, 1}, []int{2, 3, 4}); !reflect.DeepEqual(got, []int{0, 1, 0}) {
		t.Errorf("BroadcastStrides: %v", got)
	}
}

// TestVectorPaths: the slice functions of Add, Sub, Mul and TanhGrad (used
// for operands of one shape and row-vector broadcasts) give what the
// elementwise functions give through the general broadcast, and Tanh's
// slice function what Tanh32 gives.
func TestVectorPaths(t *testing.T) {
	shapes := []struct{ as, bs, os []int }{
		{[]int{4, 5}, []int{4, 5}, []int{4, 5}},
		{[]int{4, 5}, []int{5}, []int{4, 5}},
		{[]int{4, 5}, []int{1, 5}, []int{4, 5}},
		{[]int{5}, []int{3, 4, 5}, []int{3, 4, 5}},
		{[]int{4, 5}, []int{}, []int{4, 5}},
		{[]int{4, 1}, []int{4, 5}, []int{4, 5}},
	}
	for name, f := range map[string]Binary{"Add": Add, "Sub": Sub, "Mul": Mul, "TanhGrad": TanhGrad} {
		for _, c := range shapes {
			a, b := make([]float32, Numel(c.as)), make([]float32, Numel(c.bs))
			for i := range a {
				a[i] = float32(i)*0.25 - 1
			}
			for i := range b {
				b[i] = 3 - float32(i)*0.5
			}
			got, want := make([]float32, Numel(c.os)), make([]float32, Numel(c.os))
			if !f.Apply(a, c.as, b, c.bs, got, c.os) {
				t.Fatalf("%s: Apply failed", name)
			}
			Broadcast(a, c.as, b, c.bs, want, c.os, f.F32)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s %v %v: %v, want %v", name, c.as, c.bs, got, want)
			}
		}
	}
	in := make([]float32, 37)
	for i := range in {
		in[i] = float32(i-18) * 0.3
	}
	got, want := make([]float32, len(in)), make([]float32, len(in))
	Tanh.Apply(in, got)
	Map(in, want, Tanh.F32)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Tanh: %v, want %v", got, want)
	}
	if g := TanhGrad.F64(0.5, 2); g != 2*(1-0.25) {
		t.Errorf("TanhGrad(0.5, 2) = %v, want 1.5", g)
	}
}
