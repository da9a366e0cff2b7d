// Package varstore holds a session's variable values and is the one place
// that decides when a kernel may change them in place.
//
// # Updating variables in place
//
// TensorFlow's optimizers change their variables' buffers in place, and so
// do gorgoflow's, but only where nobody can see it. Store.Update, through
// which every optimizer kernel changes variables, updates the values of
// vars in place only when all of these hold:
//
//  1. No other Run of the session is in flight (Begin and End count them):
//     another run may be reading the values.
//  2. The values are the ones the same op stored with its last Update, and
//     nothing has replaced them since: values an Update made itself are
//     known to share memory with no constant, feed, fetched array or other
//     op's buffer, which values from Assign may.
//  3. No value the running program will still read or fetch shares memory
//     with them (an op that read a variable before the update and whose
//     reader has not run yet, as an Identity of it), and they share none
//     with each other. The program tells which memory is live.
//
// Otherwise Update copies the values, lets the kernel change the copies and
// stores them, so that whatever read the old values keeps them. Both ways
// give the same numbers bit for bit.
package varstore

import (
	"sync"
	"sync/atomic"

	"github.com/pkg/errors"
	"gorgonia.org/tensor"

	"github.com/gorgoflow/gorgoflow/tf"
)

// ErrClosed is TF's error for a closed session.
var ErrClosed = errors.New("Attempted to use a closed Session.")

// Updater is what kernels that change variables (optimizers' apply ops)
// find on their runenv.Env by a type assertion: Update of the session's store,
// with the running program's live memory.
type Updater interface {
	// Update calls f with values of vars for f to change, and stores them:
	// the variables' own values or copies, by the package's rule. op is
	// the updating op. f must check what it needs before changing
	// anything, and must not call the Env.
	Update(op *tf.Operation, vars []*tf.Variable, f func(vals []*tensor.Dense) error) error
}

// Store holds variable values. Its methods are safe for concurrent use.
type Store struct {
	mu    sync.RWMutex // guards vals, owner
	vals  map[*tf.Variable]*tensor.Dense
	owner map[*tf.Variable]*tf.Operation // the op whose Update made the value

	running atomic.Int32 // Runs in flight
}

// New returns an empty store.
func New() *Store {
	return &Store{vals: map[*tf.Variable]*tensor.Dense{}, owner: map[*tf.Variable]*tf.Operation{}}
}

// Begin records a Run in flight; End its end.
func (s *Store) Begin() { s.running.Add(1) }

// End records the end of a Run that Begin recorded.
func (s *Store) End() { s.running.Add(-1) }

// Close drops every value; the store's methods fail with ErrClosed after.
func (s *Store) Close() {
	s.mu.Lock()
	s.vals, s.owner = nil, nil
	s.mu.Unlock()
}

// Read returns v's value: the store's own, which a later Update may change
// in place; clone it to keep it.
func (s *Store) Read(v *tf.Variable) (*tensor.Dense, error) {
	s.mu.RLock()
	d, ok := s.vals[v]
	closed := s.vals == nil
	s.mu.RUnlock()
	if closed {
		return nil, ErrClosed
	}
	if !ok {
		return nil, uninitialized(v)
	}
	return d, nil
}

func uninitialized(v *tf.Variable) error {
	return errors.Errorf("Attempting to use uninitialized value %s: run its initializer (tf.GlobalVariablesInitializer) first", v.Name())
}

// Assign makes value v's value; the store owns it from then on.
func (s *Store) Assign(v *tf.Variable, value *tensor.Dense) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.vals == nil {
		return ErrClosed
	}
	s.vals[v] = value
	delete(s.owner, v)
	return nil
}

// Update changes vars by f for op, by the rule in the package doc: in
// place when it holds, on copies otherwise. live reports whether memory of
// a value is still read or fetched by the running program; nil means it is
// not known, and Update copies. When f fails nothing is stored (in place,
// f must fail before changing anything).
func (s *Store) Update(op *tf.Operation, vars []*tf.Variable, live func(*tensor.Dense) bool, f func(vals []*tensor.Dense) error) error {
	done, err := s.updateInPlace(op, vars, live, f)
	if done || err != nil {
		return err
	}
	s.mu.RLock()
	closed := s.vals == nil
	vals := make([]*tensor.Dense, len(vars))
	for i, v := range vars {
		vals[i] = s.vals[v]
	}
	s.mu.RUnlock()
	if closed {
		return ErrClosed
	}
	for i, d := range vals {
		if d == nil {
			return uninitialized(vars[i])
		}
		vals[i] = d.Clone().(*tensor.Dense)
	}
	if err := f(vals); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.vals == nil {
		return ErrClosed
	}
	for i, v := range vars {
		s.vals[v] = vals[i]
		s.owner[v] = op
	}
	return nil
}

// updateInPlace calls f on the variables' own values and reports true when
// the rule allows it; else it reports false without calling f.
func (s *Store) updateInPlace(op *tf.Operation, vars []*tf.Variable, live func(*tensor.Dense) bool, f func(vals []*tensor.Dense) error) (bool, error) {
	if live == nil {
		return false, nil // liveness unknown
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.vals == nil {
		return false, ErrClosed
	}
	if s.running.Load() > 1 {
		return false, nil // rule 1
	}
	vals := make([]*tensor.Dense, len(vars))
	for i, v := range vars {
		d, ok := s.vals[v]
		if !ok || s.owner[v] != op {
			return false, nil // rule 2
		}
		for _, o := range vals[:i] {
			if Overlap(o, d) {
				return false, nil // rule 3: shared with each other
			}
		}
		if live(d) {
			return false, nil // rule 3: still read by the program
		}
		vals[i] = d
	}
	return true, f(vals)
}

// Overlap reports whether the data of a and b share memory.
func Overlap(a, b *tensor.Dense) bool {
	alo, ahi := span(a)
	blo, bhi := span(b)
	return alo < bhi && blo < ahi
}

// span returns the memory [lo, hi) of d's data.
func span(d *tensor.Dense) (lo, hi uintptr) {
	if d.MemSize() == 0 {
		return 0, 0
	}
	lo = d.Uintptr()
	return lo, lo + d.MemSize() // a scalar's DataSize is 0, its MemSize not
}
