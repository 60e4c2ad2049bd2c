package remote_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"

	"firebot/ops"
	"firebot/remote"
	"firebot/remote/remotetest"
)

// says is an op that writes who runs it.
func says(who string) ops.Op {
	return ops.Op{Name: "who", Run: func(_ context.Context, _ *ops.Env, _ json.RawMessage, out io.Writer, _ func(int, int)) error {
		_, err := io.WriteString(out, who)
		return err
	}}
}

// A district service runs a street's op in that street's environment, an
// op without a street at the district's level, and a client asking for a
// street the service lacks takes no answer from it.
func TestClientStreet(t *testing.T) {
	env := &remote.Env{Identity: "embedded:/x/firebot.db", Ops: []ops.Op{says("district")}, Streets: map[string]*remote.Env{
		"jiefangbei":  {Ops: []ops.Op{says("jiefangbei")}},
		"shangqingsi": {Ops: []ops.Op{says("shangqingsi")}},
	}}
	c := remotetest.Serve(t, env, "")
	ctx := context.Background()
	for _, street := range []string{"", "jiefangbei", "shangqingsi"} {
		c.Street = street
		var b strings.Builder
		if err := c.Run(ctx, "who", struct{}{}, &b); err != nil {
			t.Fatalf("street %q: %v", street, err)
		}
		want := street
		if want == "" {
			want = "district"
		}
		if b.String() != want {
			t.Errorf("street %q: ran in %q", street, b.String())
		}
	}
	c.Street = "chaotianmen"
	var b strings.Builder
	if err := c.Run(ctx, "who", struct{}{}, &b); !errors.Is(err, remote.ErrNotOurs) || b.Len() > 0 {
		t.Errorf("a street the service lacks: %v, output %q", err, b.String())
	}

	// A single street's service lists no streets: a client asking for one
	// is refused.
	single := remotetest.Serve(t, &remote.Env{Identity: "embedded:/x/firebot.db", Ops: []ops.Op{says("single")}}, "")
	single.Street = "jiefangbei"
	if err := single.Run(ctx, "who", struct{}{}, &b); !errors.Is(err, remote.ErrNotOurs) || b.Len() > 0 {
		t.Errorf("a single street's service: %v, output %q", err, b.String())
	}
}
