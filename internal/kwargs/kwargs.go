// Package kwargs is the one mechanism behind the functional options of
// every gorgoflow package (tf.Option, train.Option, layers.Option,
// rnn.Option, seq2seq.Option, contrib/seq2seq.Option): Python's keyword
// arguments. Each package keeps its Option type, whose values carry a keyword and a function
// setting the package's parsed options, and parses a call's options with
// Parse, so that every package refuses an option a function does not take
// with the same error.
package kwargs

import (
	"github.com/pkg/errors"

	"github.com/gorgoflow/gorgoflow/internal/callsite"
)

// Parse applies n options in order for the function named fn: key(i) is
// option i's keyword ("" for a zero Option, which is skipped) and apply(i)
// applies it. An option whose keyword is not in allowed is an error naming
// fn, the user's call site when site is true (packages whose errors name
// it elsewhere pass false), the keyword and the keywords fn takes; nothing
// after it is applied. given, when not nil, records the keywords applied.
func Parse(fn string, site bool, allowed []string, given map[string]bool, n int, key func(i int) string, apply func(i int)) error {
	for i := 0; i < n; i++ {
		k := key(i)
		if k == "" {
			continue
		}
		if !takes(allowed, k) {
			if site {
				fn += " at " + callsite.User()
			}
			return errors.Errorf("%s does not take the option %s (it takes %v)", fn, k, allowed)
		}
		apply(i)
		if given != nil {
			given[k] = true
		}
	}
	return nil
}

func takes(allowed []string, key string) bool {
	for _, a := range allowed {
		if a == key {
			return true
		}
	}
	return false
}
