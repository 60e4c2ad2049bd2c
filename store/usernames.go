package store

import "time"

// UserName is a WeCom account's display name as firebot learnt it
// (user/get or a callback's From/Name), cached so the report names people
// without asking WeCom again. Hidden records that WeCom would not say
// (outside the application's visible range), so it is not asked again
// either.
type UserName struct {
	Name   string    `json:"name,omitempty"`
	Hidden bool      `json:"hidden,omitempty"`
	At     time.Time `json:"at"` // real clock
}

// PutUserName caches what is known of userID's name.
func PutUserName(tx Tx, userID string, n UserName) error {
	return PutJSON(tx, bUserName, userID, n)
}

// GetUserName reads the cached name of userID (ErrNotFound when never
// learnt).
func GetUserName(tx Tx, userID string) (UserName, error) {
	var n UserName
	err := GetJSON(tx, bUserName, userID, &n)
	return n, err
}
