package hub

import (
	"context"
	gosync "sync"
	"time"

	"github.com/ghiseu/ghiseu/store"
)

// The hub's group commit. Every POST /v1/events used to be a transaction
// of its own, each waiting for the one writer connection and then for its
// own sync to disk (synchronous=FULL): with many counters posting at once
// they queued one sync behind the other, and one slow sync (a busy disk)
// held up all the queue. Now what the counters post meanwhile waits
// together and is committed in one transaction, one sync for all, each
// exchange judged on its own and answered with its own results
// (store.DB.AcceptAll). Nothing is answered before it is on disk.
//
// A database has one queue of pending exchanges and, while it is not
// empty, one goroutine that commits them; the queue and the goroutine end
// when nothing is pending.

// maxGroup bounds the exchanges committed together.
const maxGroup = 64

// groupTimeout bounds one group's transaction.
const groupTimeout = 30 * time.Second

// pendingAccept is one exchange waiting for its group's commit.
type pendingAccept struct {
	ctx  context.Context
	x    store.Exchange
	a    store.Answer
	err  error
	done chan struct{} // closed when a and err are set
}

// acceptQueue is a database's exchanges waiting to be committed.
type acceptQueue struct{ pending []*pendingAccept }

var acceptQueues = struct {
	gosync.Mutex
	byDB map[*store.DB]*acceptQueue
}{byDB: map[*store.DB]*acceptQueue{}}

// accept stores one exchange together with the others pending on the same
// database, and answers it when its group is committed or ctx ends.
func accept(ctx context.Context, db *store.DB, x store.Exchange) (store.Answer, error) {
	p := &pendingAccept{ctx: ctx, x: x, done: make(chan struct{})}
	acceptQueues.Lock()
	q := acceptQueues.byDB[db]
	if q == nil {
		q = &acceptQueue{}
		acceptQueues.byDB[db] = q
		go commitGroups(db, q)
	}
	q.pending = append(q.pending, p)
	acceptQueues.Unlock()
	select {
	case <-p.done:
		return p.a, p.err
	case <-ctx.Done():
		return store.Answer{}, ctx.Err() // its group may still keep it: resending is harmless
	}
}

// commitGroups commits db's pending exchanges, a group at a time, until
// none is left.
func commitGroups(db *store.DB, q *acceptQueue) {
	for {
		acceptQueues.Lock()
		group := q.pending[:min(len(q.pending), maxGroup)]
		q.pending = q.pending[len(group):]
		if len(group) == 0 {
			delete(acceptQueues.byDB, db)
			acceptQueues.Unlock()
			return
		}
		acceptQueues.Unlock()
		commitGroup(db, group)
	}
}

// commitGroup commits one group and answers each of its exchanges. Those
// whose request has ended meanwhile are left out.
func commitGroup(db *store.DB, group []*pendingAccept) {
	var live []*pendingAccept
	var xs []store.Exchange
	for _, p := range group {
		if p.ctx.Err() != nil {
			p.err = p.ctx.Err()
			close(p.done)
			continue
		}
		live, xs = append(live, p), append(xs, p.x)
	}
	if len(live) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), groupTimeout)
	defer cancel()
	as, errs, err := db.AcceptAll(ctx, xs)
	for i, p := range live {
		if err != nil {
			p.err = err
		} else {
			p.a, p.err = as[i], errs[i]
		}
		close(p.done)
	}
}
