package varstore

import (
	"errors"
	"strings"
	"testing"

	"gorgonia.org/tensor"

	"github.com/gorgoflow/gorgoflow/tf"
)

func vec(x ...float32) *tensor.Dense {
	return tensor.New(tensor.WithShape(len(x)), tensor.WithBacking(x))
}

// TestUpdateRule checks each condition of the in-place rule: an update
// changes the stored values themselves only when no other Run is in
// flight, the same op made the values, and no live memory shares them;
// otherwise it stores changed copies and the old values keep their
// numbers.
func TestUpdateRule(t *testing.T) {
	g := tf.NewGraph()
	restore := g.AsDefault()
	a := tf.NewVariable([]float32{0, 0}, tf.Name("a"))
	b := tf.NewVariable([]float32{0}, tf.Name("b"))
	op1, op2 := tf.NoOp(tf.Name("apply1")), tf.NoOp(tf.Name("apply2"))
	restore()
	never := func(*tensor.Dense) bool { return false }
	for _, c := range []struct {
		name    string
		before  func(s *Store) // after a first update by op1
		op      *tf.Operation  // the second update's op
		live    func(*tensor.Dense) bool
		inPlace bool
	}{
		{"same op, nothing live", nil, op1, never, true},
		{"liveness unknown", nil, op1, nil, false},
		{"another op", nil, op2, never, false},
		{"value live", nil, op1, func(*tensor.Dense) bool { return true }, false},
		{"another run in flight", func(s *Store) { s.Begin() }, op1, never, false},
		{"assigned since", func(s *Store) { s.Assign(b, vec(7)) }, op1, never, false},
		{"run ended", func(s *Store) { s.Begin(); s.End() }, op1, never, true},
	} {
		s := New()
		s.Begin() // this run
		a0, b0 := vec(1, 2), vec(3)
		s.Assign(a, a0)
		s.Assign(b, b0)
		add := func(vals []*tensor.Dense) error {
			for _, d := range vals {
				for i := range d.Float32s() {
					d.Float32s()[i]++
				}
			}
			return nil
		}
		if err := s.Update(op1, []*tf.Variable{a, b}, never, add); err != nil {
			t.Fatal(err)
		}
		if a0.Float32s()[0] != 1 || b0.Float32s()[0] != 3 {
			t.Fatalf("%s: the first update changed the assigned values in place", c.name)
		}
		if c.before != nil {
			c.before(s)
		}
		a1, _ := s.Read(a)
		b1, _ := s.Read(b)
		wantA := a1.Float32s()[0] + 1
		var got []*tensor.Dense
		err := s.Update(c.op, []*tf.Variable{a, b}, c.live, func(vals []*tensor.Dense) error {
			got = vals
			return add(vals)
		})
		if err != nil {
			t.Fatal(err)
		}
		inPlace := got[0] == a1 && got[1] == b1
		if inPlace != c.inPlace {
			t.Errorf("%s: updated in place %v, want %v", c.name, inPlace, c.inPlace)
		}
		a2, _ := s.Read(a)
		if a2 != got[0] || a2.Float32s()[0] != wantA {
			t.Errorf("%s: a holds %v after the update, want the updated values (%v first)", c.name, a2.Float32s(), wantA)
		}
		if !inPlace && a1.Float32s()[0] != wantA-1 {
			t.Errorf("%s: a copying update changed the old value to %v", c.name, a1.Float32s())
		}
	}
}

func TestUpdateErrors(t *testing.T) {
	g := tf.NewGraph()
	restore := g.AsDefault()
	a := tf.NewVariable([]float32{0}, tf.Name("a"))
	op := tf.NoOp()
	restore()
	s := New()
	s.Begin()
	err := s.Update(op, []*tf.Variable{a}, nil, func([]*tensor.Dense) error { return nil })
	if err == nil || !strings.Contains(err.Error(), "uninitialized value a") {
		t.Errorf("update of an uninitialized variable: %v", err)
	}
	a0 := vec(1)
	s.Assign(a, a0)
	boom := errors.New("boom")
	if err := s.Update(op, []*tf.Variable{a}, nil, func(v []*tensor.Dense) error { v[0].Float32s()[0] = 9; return boom }); err != boom {
		t.Errorf("f's error: got %v", err)
	}
	if d, _ := s.Read(a); d != a0 || a0.Float32s()[0] != 1 {
		t.Errorf("a failed update stored or changed a value: %v", d)
	}
	s.Close()
	if _, err := s.Read(a); err != ErrClosed {
		t.Errorf("Read after Close: %v", err)
	}
	if err := s.Assign(a, vec(1)); err != ErrClosed {
		t.Errorf("Assign after Close: %v", err)
	}
	if err := s.Update(op, []*tf.Variable{a}, nil, func([]*tensor.Dense) error { return nil }); err != ErrClosed {
		t.Errorf("Update after Close: %v", err)
	}
}

func TestOverlap(t *testing.T) {
	back := []float32{1, 2, 3, 4}
	whole := tensor.New(tensor.WithShape(4), tensor.WithBacking(back))
	head := tensor.New(tensor.WithShape(2), tensor.WithBacking(back[:2]))
	tail := tensor.New(tensor.WithShape(2), tensor.WithBacking(back[2:]))
	// Scalars (a scalar Dense's DataSize is 0) overlap what holds them.
	third := tensor.New(tensor.WithShape(), tensor.WithBacking(back[2:3]))
	for _, c := range []struct {
		a, b *tensor.Dense
		want bool
	}{
		{whole, head, true},
		{head, whole, true},
		{head, tail, false},
		{whole, vec(1, 2, 3, 4), false},
		{third, whole, true},
		{tail, third, true},
		{head, third, false},
		{third, third, true},
	} {
		if got := Overlap(c.a, c.b); got != c.want {
			t.Errorf("Overlap(%v, %v) = %v, want %v", c.a.Shape(), c.b.Shape(), got, c.want)
		}
	}
}
