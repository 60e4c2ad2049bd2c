package wecom

import (
	"context"
	"errors"
	"fmt"
)

// User is what user/get returns that firebot uses: the account id and the
// display name.
type User struct {
	UserID string `json:"userid"`
	Name   string `json:"name"`
}

// ErrUserNotVisible: the user is outside the application's visible range
// (errcode 60011) or unknown (60111), so WeCom will not give a name.
var ErrUserNotVisible = errors.New("wecom: user not visible to the application")

// GetUser reads a member of the corp (user/get). Only users in the
// application's visible range can be read; others give an error that
// wraps both ErrUserNotVisible and the *APIError.
func (c *Client) GetUser(ctx context.Context, userID string) (User, error) {
	if userID == "" {
		return User{}, fmt.Errorf("%w: empty userid", ErrInvalidArgument)
	}
	var u User
	err := c.withToken(ctx, func(tok string) error {
		return c.getJSON(ctx, "user/get", tokenQuery(tok, "userid", userID), &u)
	})
	var api *APIError
	if errors.As(err, &api) && (api.Code == CodeNoContactPrivilege || api.Code == CodeUserNotFound) {
		return User{}, fmt.Errorf("%w: %w", ErrUserNotVisible, err)
	}
	return u, err
}
