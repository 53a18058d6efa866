#!/usr/bin/env python3
"""A plain Python serial dictatorship, the yardstick of R-C7 for src/domain/allocation.rs.

The same city as the ignored test `r_c7_speed_of_100k_applications_over_20k_places` (same xorshift, same
seed): 100,000 applications with 4 preferences each over 20,000 places in 500 orgs, without the twins.

    python3 examples/serial_dictatorship.py
"""

import time

MASK = (1 << 64) - 1


def city():
    seed = 0x2545F4914F6CDD1D

    def random(n):
        nonlocal seed
        seed ^= (seed << 13) & MASK
        seed ^= seed >> 7
        seed ^= (seed << 17) & MASK
        return seed % n

    orgs = 500
    places = [[] for _ in range(orgs)]
    for place_id in range(20_000):
        places[random(orgs)].append(place_id)
    applications = [(key, [(random(orgs), rank) for rank in range(1, 5)]) for key in range(100_000)]
    return applications, places


def allocate(applications, places):
    next_free = [0] * len(places)
    directions = []
    unplaced = 0
    for key, preferences in applications:
        for org, rank in sorted(preferences, key=lambda p: p[1]):
            if next_free[org] < len(places[org]):
                directions.append((key, places[org][next_free[org]], org, rank))
                next_free[org] += 1
                break
        else:
            unplaced += 1
    return directions, unplaced


def main():
    applications, places = city()
    runs = 5
    start = time.perf_counter()
    for _ in range(runs):
        directions, unplaced = allocate(applications, places)
    each = (time.perf_counter() - start) / runs
    print(f"100k x 4 over 20k places: {each * 1000:.1f} ms per allocation, {len(directions)} placed, {unplaced} unplaced")


if __name__ == "__main__":
    main()
