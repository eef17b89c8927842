package partnercenter

import "github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"

// allPages calls page with each continuation token, starting from first, and collects the
// items until a page has no new token. An empty page or a repeated token ends it too, since
// either would otherwise loop forever.
func allPages[T any](first string, page func(token string) (*wire.Collection[T], error)) ([]T, error) {
	var all []T
	token := first
	for {
		p, err := page(token)
		if err != nil {
			return nil, err
		}
		all = append(all, p.Items...)
		if p.ContinuationToken == "" || p.ContinuationToken == token || len(p.Items) == 0 {
			return all, nil
		}
		token = p.ContinuationToken
	}
}
