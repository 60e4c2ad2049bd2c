package wecom

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"
)

// Sentinel errors.
var (
	// ErrMalformedResponse: WeCom answered 2xx with a body that is not the
	// JSON we expected (truncated, HTML from a proxy, empty). Retryable.
	ErrMalformedResponse = errors.New("wecom: malformed response")
	// ErrInvalidArgument: the call was refused before any request was made
	// (empty webhook key, unparsable response_url, ...).
	ErrInvalidArgument = errors.New("wecom: invalid argument")
	// ErrTokenNotFound is what a TokenCache returns for a key it does not
	// hold (an empty token with a nil error means the same).
	ErrTokenNotFound = errors.New("wecom: access token not cached")
	// ErrCredentialCooldown wraps the original credential error while the
	// client refuses to call gettoken again after a bad corpid/secret.
	ErrCredentialCooldown = errors.New("wecom: gettoken paused after a credential error")
)

// WeCom error codes the client and its callers care about (§7 of the
// protocol notes; path/90313).
const (
	CodeSystemBusy           = -1
	CodeOK                   = 0
	CodeInvalidSecret        = 40001 // bad corpsecret
	CodeInvalidMediaID       = 40007 // media_id unknown or older than 3 days
	CodeInvalidMsgType       = 40008
	CodeInvalidCorpID        = 40013
	CodeInvalidToken         = 40014 // access_token revoked / unknown
	CodeInvalidCallbackURL   = 40057
	CodeInvalidParam         = 40058
	CodeInvalidSecretFormat  = 40091
	CodeTokenMissing         = 41001
	CodeTokenExpired         = 42001
	CodeRequireGET           = 43001
	CodeRequirePOST          = 43002
	CodeEmptyContent         = 44004
	CodeContentTooLarge      = 45002
	CodeRateLimited          = 45009
	CodeConcurrencyLimit     = 45033
	CodeDataFormat           = 47001
	CodeNoPermission         = 48002
	CodeNoContactPrivilege   = 60011 // user/get: the user is outside the app's visible range
	CodeUntrustedIP          = 60020
	CodeUserNotFound         = 60111 // user/get: no such userid
	CodeAllRecipientsInvalid = 81013
	CodeWebhookInvalid       = 93000 // "invalid webhook url": key revoked or robot removed
	CodeRobotDisabled        = 93004
	CodeRobotNoSingleChat    = 93005
	CodeInvalidChatID        = 93006
	CodeRobotNotInChat       = 93008
)

// RateLimitBackoff is the retry hint carried by a 45009 error: WeCom lifts
// minute blocks after about a minute.
const RateLimitBackoff = 60 * time.Second

// APIError is a non-zero errcode in a WeCom JSON answer.
type APIError struct {
	Code int    // errcode
	Msg  string // errmsg as WeCom sent it
	API  string // "message/send", "webhook/send", ...
	// RetryAfter is a hint for how long to wait before retrying; set for
	// 45009 (at least RateLimitBackoff), zero otherwise.
	RetryAfter time.Duration
}

func (e *APIError) Error() string {
	return fmt.Sprintf("wecom: %s: errcode %d: %s", e.API, e.Code, e.Msg)
}

func newAPIError(api string, code int, msg string) *APIError {
	e := &APIError{Code: code, Msg: msg, API: api}
	if code == CodeRateLimited {
		e.RetryAfter = RateLimitBackoff
	}
	return e
}

// HTTPError is a non-2xx HTTP status from WeCom (or a proxy in between).
type HTTPError struct {
	Status int
	API    string
}

func (e *HTTPError) Error() string {
	return fmt.Sprintf("wecom: %s: HTTP status %d", e.API, e.Status)
}

// NetError is a transport failure: connection refused or reset, DNS, TLS,
// timeout, or the context ending. The URL (which may hold a token or a
// webhook key) is never part of it.
type NetError struct {
	API string
	Err error
}

func (e *NetError) Error() string { return fmt.Sprintf("wecom: %s: %v", e.API, e.Err) }
func (e *NetError) Unwrap() error { return e.Err }

// Timeout reports whether the failure was a timeout.
func (e *NetError) Timeout() bool {
	if errors.Is(e.Err, context.DeadlineExceeded) {
		return true
	}
	var ne net.Error
	return errors.As(e.Err, &ne) && ne.Timeout()
}

// DecodeError is a 2xx answer whose body could not be decoded.
// errors.Is(err, ErrMalformedResponse) holds for it.
type DecodeError struct {
	API string
	Err error
}

func (e *DecodeError) Error() string {
	return fmt.Sprintf("wecom: %s: malformed response: %v", e.API, e.Err)
}
func (e *DecodeError) Unwrap() []error { return []error{ErrMalformedResponse, e.Err} }

// apiCode returns the errcode inside err, if any.
func apiCode(err error) (int, bool) {
	var ae *APIError
	if errors.As(err, &ae) {
		return ae.Code, true
	}
	return 0, false
}

// Retryable reports whether sending the same request later may succeed:
// errcodes -1, 45009, 45033; HTTP 5xx, 408 and 429; timeouts; network errors;
// malformed answers. A cancelled context is not retryable.
func Retryable(err error) bool {
	if err == nil {
		return false
	}
	if code, ok := apiCode(err); ok {
		switch code {
		case CodeSystemBusy, CodeRateLimited, CodeConcurrencyLimit:
			return true
		}
		return false
	}
	var he *HTTPError
	if errors.As(err, &he) {
		return he.Status >= 500 || he.Status == 408 || he.Status == 429
	}
	if errors.Is(err, ErrMalformedResponse) {
		return true
	}
	if errors.Is(err, context.Canceled) {
		return false
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var ne *NetError
	if errors.As(err, &ne) {
		return true
	}
	var nerr net.Error
	return errors.As(err, &nerr)
}

// TokenError reports whether WeCom rejected the access token (40014, 42001).
// The client already refetched the token and retried once before returning
// such an error.
func TokenError(err error) bool {
	code, ok := apiCode(err)
	return ok && (code == CodeInvalidToken || code == CodeTokenExpired)
}

// MediaExpired reports whether a media_id was refused (40007): upload the
// file again and send with the new id.
func MediaExpired(err error) bool {
	code, ok := apiCode(err)
	return ok && code == CodeInvalidMediaID
}

// CredentialError reports whether the corpid/secret was refused (40001,
// 40013, 40091). Such errors are also Permanent.
func CredentialError(err error) bool {
	code, ok := apiCode(err)
	return ok && isCredentialCode(code)
}

func isCredentialCode(code int) bool {
	return code == CodeInvalidSecret || code == CodeInvalidCorpID || code == CodeInvalidSecretFormat
}

// Permanent reports whether sending the same request again cannot succeed
// without a change (configuration, content or recipients): 930xx (robot
// removed, webhook revoked, bad chatid), 81013, 400xx parameter errors
// (including 40007: the worker re-uploads first, see MediaExpired), bad
// credentials, 41001, 43001/43002, 44004, 45002, 47001, 48002, 60020, and
// HTTP 4xx other than 408/429. Token errors (40014/42001) are neither
// Permanent nor Retryable: the client already retried once.
func Permanent(err error) bool {
	if err == nil {
		return false
	}
	if code, ok := apiCode(err); ok {
		switch {
		case code == CodeInvalidToken:
			return false
		case code >= 93000 && code <= 93999:
			return true
		case code >= 40000 && code <= 40999:
			return true
		}
		switch code {
		case CodeAllRecipientsInvalid, CodeTokenMissing, CodeRequireGET, CodeRequirePOST,
			CodeEmptyContent, CodeContentTooLarge, CodeDataFormat, CodeNoPermission, CodeUntrustedIP:
			return true
		}
		return false
	}
	var he *HTTPError
	if errors.As(err, &he) {
		return he.Status >= 400 && he.Status < 500 && he.Status != 408 && he.Status != 429
	}
	return errors.Is(err, ErrInvalidArgument)
}

// RetryAfter returns the retry hint carried by err (45009 → at least a
// minute), or zero.
func RetryAfter(err error) time.Duration {
	var ae *APIError
	if errors.As(err, &ae) {
		return ae.RetryAfter
	}
	return 0
}

// reasons are plain-Chinese explanations for operators and users.
var reasons = map[int]string{
	CodeSystemBusy:           "企业微信系统繁忙",
	CodeInvalidSecret:        "企业微信应用密钥（Secret）错误",
	CodeInvalidSecretFormat:  "企业微信应用密钥（Secret）格式不正确",
	CodeInvalidCorpID:        "企业 ID（CorpID）错误",
	CodeInvalidToken:         "企业微信访问凭证（access_token）无效",
	CodeTokenExpired:         "企业微信访问凭证（access_token）已过期",
	CodeTokenMissing:         "请求缺少企业微信访问凭证（access_token）",
	CodeRateLimited:          "发送太频繁，已排队稍后重试",
	CodeConcurrencyLimit:     "同时发送的请求太多，稍后重试",
	CodeContentTooLarge:      "消息内容太长，需要拆分后发送",
	CodeEmptyContent:         "消息内容为空",
	CodeInvalidMsgType:       "消息类型不正确",
	CodeInvalidParam:         "请求参数不正确",
	CodeInvalidMediaID:       "文件已过期或无效，需要重新上传",
	CodeNoPermission:         "企业微信应用没有调用该接口的权限",
	CodeUntrustedIP:          "服务器 IP 不在企业微信可信 IP 列表中",
	CodeAllRecipientsInvalid: "接收人全部无效",
	CodeWebhookInvalid:       "机器人已被移出群聊或 webhook 地址已失效",
	CodeRobotDisabled:        "机器人已被停用",
	CodeRobotNoSingleChat:    "机器人不能给该用户发单聊消息",
	CodeInvalidChatID:        "群聊 ID 无效",
	CodeRobotNotInChat:       "机器人不在该群聊中",
	CodeInvalidCallbackURL:   "回调地址（URL）无效",
	CodeRequireGET:           "请求方法错误（应为 GET）",
	CodeRequirePOST:          "请求方法错误（应为 POST）",
	CodeDataFormat:           "请求数据格式错误",
}

// Reason explains err in plain Chinese for the people running the campaign,
// e.g. 93000 → "机器人已被移出群聊或 webhook 地址已失效". It returns "" for nil.
func Reason(err error) string {
	if err == nil {
		return ""
	}
	var ae *APIError
	if errors.As(err, &ae) {
		if r, ok := reasons[ae.Code]; ok {
			return r
		}
		if ae.Code >= 93000 && ae.Code <= 93999 {
			return fmt.Sprintf("机器人无法发送消息（错误码 %d）", ae.Code)
		}
		return fmt.Sprintf("企业微信返回错误（错误码 %d）", ae.Code)
	}
	var he *HTTPError
	if errors.As(err, &he) {
		if he.Status >= 500 {
			return fmt.Sprintf("企业微信服务器出错（HTTP %d），稍后重试", he.Status)
		}
		return fmt.Sprintf("企业微信拒绝了请求（HTTP %d）", he.Status)
	}
	if errors.Is(err, ErrMalformedResponse) {
		return "企业微信返回了无法识别的内容，稍后重试"
	}
	if errors.Is(err, ErrInvalidArgument) {
		return "发送参数不正确"
	}
	if errors.Is(err, context.Canceled) {
		return "发送已取消"
	}
	var ne *NetError
	if errors.As(err, &ne) && ne.Timeout() || errors.Is(err, context.DeadlineExceeded) {
		return "连接企业微信超时，稍后重试"
	}
	if errors.As(err, &ne) {
		return "无法连接企业微信服务器，稍后重试"
	}
	return "发送失败（未知错误）"
}
