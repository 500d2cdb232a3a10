"""Another process of the same site (a Channels consumer, a cleanup job, the site after a restart).

python3 -m tests.child end SIM_ID | end-user NAME EXERCISE TYPE | visits N | deliver
"""
import sys

import django


def main():
    django.setup()
    import kibotics_analytics

    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "end":
        ok = kibotics_analytics.simulation_ended(args[0])
    elif cmd == "end-user":
        ok = kibotics_analytics.simulation_ended(args[0], args[1], args[2])
    elif cmd == "visits":
        from django.test import Client

        c = Client(HTTP_USER_AGENT="Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0")
        ok = all(c.get(f"/exercise/{i}/").status_code == 200 for i in range(int(args[0])))
        print("pending", kibotics_analytics.stats(), flush=True)
        sys.exit(0 if ok else 1)  # no flush: the exit hook must keep what is still queued
    elif cmd == "deliver":
        ok = True
    else:
        raise SystemExit(f"unknown command {cmd}")
    delivered = kibotics_analytics.flush(30)
    print("delivered" if delivered else "NOT delivered", kibotics_analytics.stats(), flush=True)
    sys.exit(0 if ok and delivered else 1)


if __name__ == "__main__":
    main()
