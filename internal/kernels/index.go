package kernels

import (
	"fmt"
	"strings"

	"github.com/pkg/errors"
)

// CheckIndices returns an error naming the first index outside [0, n), as
// TF's "indices[1,0] = 5 is not in [0, 3)"; shape is the indices' shape.
func CheckIndices(idx []int, shape []int, n int) error {
	for i, v := range idx {
		if v >= 0 && v < n {
			continue
		}
		pos := make([]string, len(shape))
		r := i
		for d := len(shape) - 1; d >= 0; d-- {
			pos[d] = fmt.Sprint(r % shape[d])
			r /= shape[d]
		}
		return errors.Errorf("indices[%s] = %d is not in [0, %d)", strings.Join(pos, ","), v, n)
	}
	return nil
}
