package wecom_test

import (
	"context"
	"errors"
	"testing"

	"firebot/wecom"
)

func TestGetUser(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.srv.SetUser("chener", "陈二")
	e.srv.SetUser("hidden", "隐身")
	e.srv.HideUser("hidden")

	u, err := e.client.GetUser(ctx, "chener")
	if err != nil || u.Name != "陈二" || u.UserID != "chener" {
		t.Errorf("GetUser(chener) = %+v, %v", u, err)
	}
	for _, tt := range []struct {
		id   string
		code int
	}{{"hidden", wecom.CodeNoContactPrivilege}, {"nobody", wecom.CodeUserNotFound}} {
		u, err := e.client.GetUser(ctx, tt.id)
		var api *wecom.APIError
		if !errors.Is(err, wecom.ErrUserNotVisible) || !errors.As(err, &api) || api.Code != tt.code || u.Name != "" {
			t.Errorf("GetUser(%s) = %+v, %v; want errcode %d and ErrUserNotVisible", tt.id, u, err, tt.code)
		}
	}
	if _, err := e.client.GetUser(ctx, ""); !errors.Is(err, wecom.ErrInvalidArgument) {
		t.Errorf("GetUser(\"\") err = %v", err)
	}
	if n := e.srv.CallCount("user/get"); n != 3 {
		t.Errorf("user/get called %d times, want 3 (the empty id never leaves the client)", n)
	}
}
