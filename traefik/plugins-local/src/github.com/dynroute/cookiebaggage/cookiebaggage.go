// Package cookiebaggage is a Traefik middleware plugin: it copies the version a
// browser carries in a cookie into the W3C `baggage` header the backend
// receives, so whatever version serves this hop propagates the version to the
// next one. It runs interpreted by Traefik (Yaegi) and uses only the standard
// library.
//
// The cookie never overrides the request: when any `baggage` line already has
// a member with the same key, the header is left untouched. Otherwise every
// `baggage` line is folded into one (members and their properties kept as
// written) and `key=version` is appended.
package cookiebaggage

import (
	"context"
	"fmt"
	"net/http"
	"strings"
)

// maxBaggageBytes is the W3C Baggage size limit for the whole header.
const maxBaggageBytes = 8192

// maxVersionLen is the longest version name dynroute accepts.
const maxVersionLen = 40

// Config is the plugin configuration (middleware options).
type Config struct {
	CookieName string `json:"cookieName,omitempty"`
	BaggageKey string `json:"baggageKey,omitempty"`
}

// CreateConfig returns the defaults: cookie and baggage key `dynamic_route`.
func CreateConfig() *Config {
	return &Config{CookieName: "dynamic_route", BaggageKey: "dynamic_route"}
}

// CookieBaggage is the middleware.
type CookieBaggage struct {
	next       http.Handler
	cookieName string
	baggageKey string
	name       string
}

// New checks the configuration and builds the middleware.
func New(ctx context.Context, next http.Handler, config *Config, name string) (http.Handler, error) {
	if !isToken(config.CookieName) {
		return nil, fmt.Errorf("cookiebaggage %s: cookieName %q is not an HTTP token", name, config.CookieName)
	}
	if !isToken(config.BaggageKey) {
		return nil, fmt.Errorf("cookiebaggage %s: baggageKey %q is not a baggage key (an HTTP token)", name, config.BaggageKey)
	}
	return &CookieBaggage{next: next, cookieName: config.CookieName, baggageKey: config.BaggageKey, name: name}, nil
}

func (m *CookieBaggage) ServeHTTP(rw http.ResponseWriter, req *http.Request) {
	version, ok := cookieValue(req.Header.Values("Cookie"), m.cookieName)
	if ok && isVersion(version) {
		lines := req.Header.Values("Baggage")
		if merged, changed := mergeMember(lines, m.baggageKey, version); changed {
			req.Header.Del("Baggage")
			req.Header.Set("Baggage", merged)
		}
	}
	m.next.ServeHTTP(rw, req)
}

// cookieValue finds the first cookie named exactly `name` in the Cookie
// header lines (RFC 6265 §5.4: `name=value` pairs separated by `;`, optional
// whitespace around them; a value may be wrapped in double quotes).
func cookieValue(lines []string, name string) (string, bool) {
	for _, line := range lines {
		for _, part := range strings.Split(line, ";") {
			part = strings.TrimSpace(part)
			eq := strings.IndexByte(part, '=')
			if eq < 0 {
				continue
			}
			if strings.TrimSpace(part[:eq]) != name {
				continue
			}
			value := strings.TrimSpace(part[eq+1:])
			if len(value) >= 2 && value[0] == '"' && value[len(value)-1] == '"' {
				value = value[1 : len(value)-1]
			}
			return value, true
		}
	}
	return "", false
}

// mergeMember returns the baggage value with `key=version` added, or false
// when a member with that key is already present (it wins) or the result
// would break the W3C size limit.
func mergeMember(lines []string, key, version string) (string, bool) {
	var members []string
	for _, line := range lines {
		for _, member := range strings.Split(line, ",") {
			member = strings.TrimSpace(member)
			if member == "" {
				continue
			}
			if memberKey(member) == key {
				return "", false
			}
			members = append(members, member)
		}
	}
	members = append(members, key+"="+version)
	merged := strings.Join(members, ",")
	if len(merged) > maxBaggageBytes {
		return "", false
	}
	return merged, true
}

// memberKey is the key of one list member: the text before `=` (or before
// the first property when there is no `=`), without optional whitespace.
func memberKey(member string) string {
	end := len(member)
	if i := strings.IndexAny(member, "=;"); i >= 0 {
		end = i
	}
	return strings.TrimSpace(member[:end])
}

// isVersion accepts dynroute version names only: lowercase letters, digits and
// single inner dashes, at most 40 characters. Anything else in the cookie is
// ignored rather than forwarded.
func isVersion(s string) bool {
	if s == "" || len(s) > maxVersionLen || s[0] == '-' || s[len(s)-1] == '-' || strings.Contains(s, "--") {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// isToken is the RFC 9110 token rule.
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte("\"(),/:;<=>?@[\\]{}", c) >= 0 {
			return false
		}
	}
	return true
}
