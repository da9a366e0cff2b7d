package train

import (
	"reflect"
	"testing"
	"time"

	"github.com/gorgoflow/gorgoflow/tf"
)

// TestKeepCheckpointEveryNHours follows TF's _MaybeDeleteOldCheckpoints:
// of the checkpoints pushed out by max_to_keep, one saved after the mark
// (construction time + N hours, then + N hours each time one is kept) is
// kept.
func TestKeepCheckpointEveryNHours(t *testing.T) {
	g := tf.NewGraph()
	restore := g.AsDefault()
	v := tf.NewVariable([]float32{1}, tf.Name("v"))
	restore()
	t0 := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	clock := t0
	s := &Saver{maxToKeep: 1, keepHours: 1, vars: map[string]*tf.Variable{"v": v}, now: func() time.Time { return clock }}
	s.nextKeep = t0.Add(time.Hour)
	var removed []string
	for i, minutes := range []int{0, 30, 61, 90, 121, 130, 190} {
		clock = t0.Add(time.Duration(minutes) * time.Minute)
		removed = append(removed, s.record("ckpt-"+string(rune('a'+i)))...)
	}
	// a (0m) and b (30m) are deleted; c (61m) passes the 1h mark and is
	// kept (mark -> 2h); d (90m) is deleted; e (121m) is kept (mark -> 3h);
	// f (130m) is deleted; g is the last.
	if want := []string{"ckpt-a", "ckpt-b", "ckpt-d", "ckpt-f"}; !reflect.DeepEqual(removed, want) {
		t.Errorf("removed %v, want %v", removed, want)
	}
	if len(s.last) != 1 || s.last[0].path != "ckpt-g" {
		t.Errorf("last = %v", s.last)
	}
}
