package tf

import (
	"github.com/pkg/errors"
	"gorgonia.org/tensor"
)

// Numeric kernels shared by the ops. Inputs are never modified; outputs are
// new buffers from KernelContext.Alloc or views of inputs.

type num interface {
	~float32 | ~float64 | ~int32 | ~int64
}

type float interface{ ~float32 | ~float64 }

// Backing returns the backing slice of d ([]float32, []float64, []int32,
// []int64 or []bool), scalars included.
func Backing(d *tensor.Dense) any {
	switch d.Dtype() {
	case tensor.Float32:
		return d.Float32s()
	case tensor.Float64:
		return d.Float64s()
	case tensor.Int32:
		return d.Int32s()
	case tensor.Int64:
		return d.Int64s()
	case tensor.Bool:
		return d.Bools()
	}
	return d.Data()
}

func data[T any](d *tensor.Dense) []T { return Backing(d).([]T) }

// view returns a dense tensor of shape sharing d's data.
func view(d *tensor.Dense, shape []int) *tensor.Dense {
	if len(shape) == 0 {
		return tensor.New(tensor.WithShape(), tensor.WithBacking(Backing(d)))
	}
	return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(Backing(d)))
}

func fillFloat(d *tensor.Dense, v float64) {
	switch x := Backing(d).(type) {
	case []float32:
		for i := range x {
			x[i] = float32(v)
		}
	case []float64:
		for i := range x {
			x[i] = v
		}
	case []int32:
		for i := range x {
			x[i] = int32(v)
		}
	case []int64:
		for i := range x {
			x[i] = int64(v)
		}
	}
}

// broadcastShape is numpy's broadcasting of two static shapes (None allowed).
func broadcastShape(a, b Shape) (Shape, error) {
	n := max(len(a), len(b))
	out := make(Shape, n)
	for i := 0; i < n; i++ {
		da, db := 1, 1
		if j := len(a) - n + i; j >= 0 {
			da = a[j]
		}
		if j := len(b) - n + i; j >= 0 {
			db = b[j]
		}
		switch {
		case da == db:
			out[i] = da
		case da == 1:
			out[i] = db
		case db == 1:
			out[i] = da
		case da < 0:
			out[i] = db
		case db < 0:
			out[i] = da
		default:
			return nil, errors.Errorf("shapes %v and %v cannot be broadcast: dimensions %d and %d differ (dimension %d of the result)", a, b, da, db, i)
		}
	}
	return out, nil
}

func strides(shape []int) []int {
	s := make([]int, len(shape))
	st := 1
	for i := len(shape) - 1; i >= 0; i-- {
		s[i] = st
		st *= shape[i]
	}
	return s
}

// bstrides returns the strides of shape `in` read as `out` (right-aligned,
// 0 where broadcast).
func bstrides(in, out []int) []int {
	s := make([]int, len(out))
	is := strides(in)
	off := len(out) - len(in)
	for i := range in {
		if in[i] != 1 || out[i+off] == 1 {
			s[i+off] = is[i]
		}
	}
	return s
}

func isSuffix(short, long []int) bool {
	if len(short) > len(long) {
		return false
	}
	off := len(long) - len(short)
	for i := range short {
		if short[i] != long[off+i] {
			return false
		}
	}
	return true
}

func numel(s []int) int {
	n := 1
	for _, d := range s {
		n *= d
	}
	return n
}

// bcast applies f elementwise with numpy broadcasting.
func bcast[T, R any](a []T, as []int, b []T, bs []int, out []R, os []int, f func(T, T) R) {
	switch {
	case len(a) == len(out) && len(b) == len(out):
		for i := range out {
			out[i] = f(a[i], b[i])
		}
		return
	case len(b) == 1 && len(a) == len(out):
		bv := b[0]
		for i := range out {
			out[i] = f(a[i], bv)
		}
		return
	case len(a) == 1 && len(b) == len(out):
		av := a[0]
		for i := range out {
			out[i] = f(av, b[i])
		}
		return
	case len(a) == len(out) && isSuffix(trim1(bs), os) && len(b) > 0:
		m := len(b)
		for i := 0; i < len(out); i += m {
			oo, aa := out[i:i+m], a[i:i+m]
			for j := range oo {
				oo[j] = f(aa[j], b[j])
			}
		}
		return
	case len(b) == len(out) && isSuffix(trim1(as), os) && len(a) > 0:
		m := len(a)
		for i := 0; i < len(out); i += m {
			oo, bb := out[i:i+m], b[i:i+m]
			for j := range oo {
				oo[j] = f(a[j], bb[j])
			}
		}
		return
	}
	sa, sb := bstrides(as, os), bstrides(bs, os)
	idx := make([]int, len(os))
	ia, ib := 0, 0
	for i := range out {
		out[i] = f(a[ia], b[ib])
		for d := len(os) - 1; d >= 0; d-- {
			idx[d]++
			ia += sa[d]
			ib += sb[d]
			if idx[d] < os[d] {
				break
			}
			ia -= sa[d] * os[d]
			ib -= sb[d] * os[d]
			idx[d] = 0
		}
	}
}

// trim1 drops leading 1s of a shape.
func trim1(s []int) []int {
	for len(s) > 0 && s[0] == 1 {
		s = s[1:]
	}
	return s
}

// binFns holds one function per numeric dtype.
type binFns struct {
	f32 func(a, b float32) float32
	f64 func(a, b float64) float64
	i32 func(a, b int32) int32
	i64 func(a, b int64) int64
}

func runBinary(c *KernelContext, fns binFns) error {
	a, b := c.In[0], c.In[1]
	out := c.AllocUninit(0) // every element written below
	as, bs, os := []int(a.Shape()), []int(b.Shape()), []int(out.Shape())
	switch c.OutSpecs[0].DType {
	case Float32:
		bcast(data[float32](a), as, data[float32](b), bs, data[float32](out), os, fns.f32)
	case Float64:
		bcast(data[float64](a), as, data[float64](b), bs, data[float64](out), os, fns.f64)
	case Int32:
		if fns.i32 == nil {
			return errors.Errorf("%s does not support int32", c.Op.def.Type)
		}
		bcast(data[int32](a), as, data[int32](b), bs, data[int32](out), os, fns.i32)
	case Int64:
		if fns.i64 == nil {
			return errors.Errorf("%s does not support int64", c.Op.def.Type)
		}
		bcast(data[int64](a), as, data[int64](b), bs, data[int64](out), os, fns.i64)
	default:
		return errors.Errorf("%s does not support %s", c.Op.def.Type, c.OutSpecs[0].DType)
	}
	return nil
}

type cmpFns struct {
	f32 func(a, b float32) bool
	f64 func(a, b float64) bool
	i32 func(a, b int32) bool
	i64 func(a, b int64) bool
	b   func(a, b bool) bool
}

func runCompare(c *KernelContext, fns cmpFns) error {
	a, b := c.In[0], c.In[1]
	out := c.AllocUninit(0) // every element written below
	as, bs, os := []int(a.Shape()), []int(b.Shape()), []int(out.Shape())
	o := data[bool](out)
	switch DTypeOf(a.Dtype()) {
	case Float32:
		bcast(data[float32](a), as, data[float32](b), bs, o, os, fns.f32)
	case Float64:
		bcast(data[float64](a), as, data[float64](b), bs, o, os, fns.f64)
	case Int32:
		bcast(data[int32](a), as, data[int32](b), bs, o, os, fns.i32)
	case Int64:
		bcast(data[int64](a), as, data[int64](b), bs, o, os, fns.i64)
	case Bool:
		if fns.b == nil {
			return errors.Errorf("%s does not support bool", c.Op.def.Type)
		}
		bcast(data[bool](a), as, data[bool](b), bs, o, os, fns.b)
	}
	return nil
}

type unFns struct {
	f32 func(float32) float32
	f64 func(float64) float64
	i32 func(int32) int32
	i64 func(int64) int64
}

func runUnary(c *KernelContext, fns unFns) error {
	in := c.In[0]
	out := c.AllocUninit(0) // every element written below
	switch DTypeOf(in.Dtype()) {
	case Float32:
		mapSlice(data[float32](in), data[float32](out), fns.f32)
	case Float64:
		mapSlice(data[float64](in), data[float64](out), fns.f64)
	case Int32:
		if fns.i32 == nil {
			return errors.Errorf("%s does not support int32", c.Op.def.Type)
		}
		mapSlice(data[int32](in), data[int32](out), fns.i32)
	case Int64:
		if fns.i64 == nil {
			return errors.Errorf("%s does not support int64", c.Op.def.Type)
		}
		mapSlice(data[int64](in), data[int64](out), fns.i64)
	default:
		return errors.Errorf("%s does not support %s", c.Op.def.Type, DTypeOf(in.Dtype()))
	}
	return nil
}

func mapSlice[T any](in, out []T, f func(T) T) {
	for i, v := range in {
		out[i] = f(v)
	}
}
