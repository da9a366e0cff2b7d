package kernels

// Typed entry points of the elementwise kernels for float32 and float64
// slices. Apply and the other functions taking backing slices as `any`
// box each slice header on the heap (the interface's content escapes into
// the loops' function values); a loop body's step runs its kernels
// thousands of times per training step, so its hot kernels (tf's binary
// and unary ops, AddN, the gradient of a broadcast) call these instead and
// allocate nothing.

// ApplyF sets out = f(a, b) with broadcasting; f must have an
// implementation for T (F32 or F64 not nil).
func ApplyF[T Float](f Binary, a []T, as []int, b []T, bs []int, out []T, os []int) {
	var z T
	switch any(z).(type) {
	case float32:
		a, b, o := any(a).([]float32), any(b).([]float32), any(out).([]float32)
		if !vecBroadcast(a, as, b, bs, o, os, f.V32) {
			Broadcast(a, as, b, bs, o, os, f.F32)
		}
	case float64:
		a, b, o := any(a).([]float64), any(b).([]float64), any(out).([]float64)
		if !vecBroadcast(a, as, b, bs, o, os, f.V64) {
			Broadcast(a, as, b, bs, o, os, f.F64)
		}
	}
}

// HasF reports whether f has an implementation for T.
func (f Binary) HasF(float32Type bool) bool {
	if float32Type {
		return f.F32 != nil
	}
	return f.F64 != nil
}

// UnaryF sets out = f(in); f must have an implementation for T.
func UnaryF[T Float](f Unary, in, out []T) {
	var z T
	switch any(z).(type) {
	case float32:
		x, o := any(in).([]float32), any(out).([]float32)
		if f.S32 != nil {
			f.S32(x, o)
			return
		}
		Map(x, o, f.F32)
	case float64:
		Map(any(in).([]float64), any(out).([]float64), f.F64)
	}
}

// HasF reports whether f has an implementation for float32 (or float64).
func (f Unary) HasF(float32Type bool) bool {
	if float32Type {
		return f.F32 != nil
	}
	return f.F64 != nil
}

// AddF sets out += in.
func AddF[T Float](out, in []T) {
	in = in[:len(out)]
	for i := range out {
		out[i] += in[i]
	}
}

// SumToF is SumTo on float slices, with the broadcast strides of out's
// shape os read along ds computed without allocating (ranks up to 8).
func SumToF[T Float](out []T, os []int, dy []T, ds []int) {
	var buf, sbuf [8]int
	var st []int
	if len(ds) <= len(buf) && len(os) <= len(sbuf) {
		st = broadcastStridesInto(buf[:len(ds)], sbuf[:len(os)], os, ds)
	} else {
		st = BroadcastStrides(os, ds)
	}
	sumTo(dy, ds, out, st)
}

// broadcastStridesInto is BroadcastStrides(in, out) written into s
// (len(out)), with is (len(in)) as scratch.
func broadcastStridesInto(s, is, in, out []int) []int {
	st := 1
	for i := len(in) - 1; i >= 0; i-- {
		is[i] = st
		st *= in[i]
	}
	clear(s)
	off := len(out) - len(in)
	for i := range in {
		if in[i] != 1 || out[i+off] == 1 {
			s[i+off] = is[i]
		}
	}
	return s
}
