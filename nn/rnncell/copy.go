package rnncell

import (
	"reflect"
	"unsafe"

	"github.com/gorgoflow/gorgoflow/tf"
)

// Copier is implemented by cells that copy themselves; Copy uses it when
// present.
type Copier interface {
	// CopyCell returns a copy of the cell that has not built its variables.
	CopyCell() Cell
}

var (
	cellType     = reflect.TypeOf((*Cell)(nil)).Elem()
	variableType = reflect.TypeOf((*tf.Variable)(nil))
)

// Copy returns a copy of cell, and of the cells it wraps, that has not made
// its variables: used by another loop, the copy makes its own (under that
// loop's scope), while the original keeps its. TF's legacy seq2seq models
// give the encoder copy.deepcopy(cell) so; a cell used by several loops
// without copying shares its weights among them, as in TF.
//
// The cell must not have been called yet (its variables are made on the
// first Call): copying a built cell is an error, since the copy would not
// know whether to share the variables. Cells implementing Copier copy
// themselves; others, pointers to structs, are copied field by field, the
// cells they hold (fields or slices of Cell) copied in turn.
func Copy(cell Cell) (Cell, error) {
	if cell == nil {
		return nil, errorf("rnn.Copy: cell is nil")
	}
	if c, ok := cell.(Copier); ok {
		return c.CopyCell(), nil
	}
	v := reflect.ValueOf(cell)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
		return nil, errorf("rnn.Copy: cannot copy a %T (want a pointer to a struct, or a Copier)", cell)
	}
	out := reflect.New(v.Elem().Type())
	out.Elem().Set(v.Elem())
	if err := copyFields(out.Elem(), cell); err != nil {
		return nil, err
	}
	return out.Interface().(Cell), nil
}

// copyFields replaces the cells held by the struct s by copies, and fails
// when s holds a variable (the cell is built) or a non-empty scope name.
func copyFields(s reflect.Value, cell Cell) error {
	for i := 0; i < s.NumField(); i++ {
		f := settable(s.Field(i))
		name := s.Type().Field(i).Name
		switch {
		case f.Type() == variableType:
			if !f.IsNil() {
				return errorf("rnn.Copy: the %T has made its variables (it was called): copy a cell before its first use", cell)
			}
		case f.Kind() == reflect.String && name == "scope" && f.Len() > 0:
			return errorf("rnn.Copy: the %T was called already (scope %q): copy a cell before its first use", cell, f.String())
		case f.Kind() == reflect.Interface && f.Type().Implements(cellType) || f.Kind() == reflect.Pointer && f.Type().Implements(cellType):
			if f.IsNil() {
				continue
			}
			c, err := Copy(f.Interface().(Cell))
			if err != nil {
				return err
			}
			f.Set(reflect.ValueOf(c))
		case f.Kind() == reflect.Slice && f.Type().Elem().Implements(cellType):
			if f.IsNil() {
				continue
			}
			n := reflect.MakeSlice(f.Type(), f.Len(), f.Len())
			for j := 0; j < f.Len(); j++ {
				e := f.Index(j)
				if e.IsNil() {
					continue
				}
				c, err := Copy(e.Interface().(Cell))
				if err != nil {
					return err
				}
				n.Index(j).Set(reflect.ValueOf(c))
			}
			f.Set(n)
		}
	}
	return nil
}

// settable returns f, a field of an addressable struct, as a value that can
// be set even when the field is unexported.
func settable(f reflect.Value) reflect.Value {
	if f.CanSet() {
		return f
	}
	return reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem()
}
