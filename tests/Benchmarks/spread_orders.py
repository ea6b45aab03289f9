"""Rewrites a generated export so that its orders span lines that are not adjacent (Send -GroupBy Order's open window).

gen_offline_csv.py writes one line per order. Here data row i gets order_id M-<n> with n = (i // (K * L)) * K + i % K:
rows i, i + K, ..., i + (L - 1) * K are the L lines of one order, K orders are open at once (under Send's window of
10,000), and every line of an order has the same event and store (an order is one order_id, store and event).
Usage: spread_orders.py IN OUT [K] [L]
"""
import csv
import sys

src, dst = sys.argv[1], sys.argv[2]
k = int(sys.argv[3]) if len(sys.argv) > 3 else 4000
lines = int(sys.argv[4]) if len(sys.argv) > 4 else 3
with open(src, newline='', encoding='utf-8') as fin, open(dst, 'w', newline='', encoding='utf-8') as fout:
    reader = csv.reader(fin)
    writer = csv.writer(fout, lineterminator='\n')
    header = next(reader)
    writer.writerow(header)
    col = {name: header.index(name) for name in ('event_type', 'order_id', 'store_id')}
    for i, row in enumerate(reader):
        row[col['order_id']] = 'M-%d' % ((i // (k * lines)) * k + i % k)
        row[col['event_type']] = 'Complete Payment'
        row[col['store_id']] = 'store_1'
        writer.writerow(row)
