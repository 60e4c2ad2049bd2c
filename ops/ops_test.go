package ops_test

import (
	"context"
	"encoding/json"
	"io"
	"strings"
	"testing"

	"firebot/ops"
)

func TestTypedDecodesParams(t *testing.T) {
	type params struct {
		N  int    `json:"n"`
		By string `json:"by"`
	}
	var got params
	calls := 0
	op := ops.Typed("count", func(_ context.Context, _ *ops.Env, p params, out io.Writer) error {
		calls++
		got = p
		_, err := io.WriteString(out, "ok")
		return err
	})
	if op.Name != "count" {
		t.Fatalf("name %q", op.Name)
	}
	var out strings.Builder
	if err := op.Run(context.Background(), &ops.Env{}, json.RawMessage(`{"n":3,"by":"li"}`), &out, nil); err != nil {
		t.Fatal(err)
	}
	if got != (params{3, "li"}) || out.String() != "ok" {
		t.Fatalf("got %+v, out %q", got, out.String())
	}
	err := op.Run(context.Background(), &ops.Env{}, json.RawMessage(`{"n":"three"}`), &out, nil)
	if err == nil || !strings.HasPrefix(err.Error(), "count: 参数无法解析") {
		t.Fatalf("bad params: %v", err)
	}
	if calls != 1 {
		t.Fatalf("run called %d times, want 1 (bad params never reach it)", calls)
	}
}
