#!/usr/bin/env python3
"""PyTorch reference for conv4j's LeNet-5 on Fashion-MNIST: training speed and accuracy, same network,
batch size, thread count and machine; optionally saves the trained weights as safetensors with the same
state_dict names, so `conv4j evaluate --weights` can check it predicts the same classes.

Usage (Debian's python3-torch, OpenBLAS: apt-get install python3-torch libopenblas0-openmp):
  /usr/bin/python3 nn/scripts/pytorch_lenet5.py --data ../shared/datasets/fashion-mnist --threads 1 --epochs 1
  ... --save /tmp/lenet5-torch.safetensors --predictions /tmp/torch-pred.txt
"""
import argparse, gzip, json, os, struct, time
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def load(directory, split):
    def find(base):
        p = os.path.join(directory, base)
        return p + ".gz" if os.path.exists(p + ".gz") else p
    x = idx(find(f"{split}-images-idx3-ubyte")).astype(np.float32) / 255.0
    y = idx(find(f"{split}-labels-idx1-ubyte")).astype(np.int64)
    return torch.from_numpy(x).unsqueeze(1), torch.from_numpy(y)


class LeNet5(nn.Module):
    """conv 6@5x5 pad 2, ReLU, max-pool 2, conv 16@5x5, ReLU, max-pool 2, FC 400-120-84-10 (conv4j's lenet5)."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5, padding=2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(400, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = torch.flatten(x, 1)
        return self.fc3(F.relu(self.fc2(F.relu(self.fc1(x)))))


def save_safetensors(path, state):
    """The safetensors layout without the safetensors package: header length, JSON header, little-endian data."""
    header, blobs, offset = {"__metadata__": {"format": "pt"}}, [], 0
    for name, t in state.items():
        a = t.detach().cpu().contiguous().numpy()
        dtype = {np.float32: "F32", np.int64: "I64"}[a.dtype.type]
        b = a.astype(a.dtype.newbyteorder("<")).tobytes()
        header[name] = {"dtype": dtype, "shape": list(a.shape), "data_offsets": [offset, offset + len(b)]}
        blobs.append(b)
        offset += len(b)
    h = json.dumps(header).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))


def load_safetensors(path):
    """Reads a safetensors file (as conv4j writes it) into a dict of tensors, without the safetensors package."""
    with open(path, "rb") as f:
        data = f.read()
    n = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8:8 + n])
    out = {}
    for name, t in header.items():
        if name == "__metadata__":
            continue
        begin, end = t["data_offsets"]
        dtype = {"F32": "<f4", "I64": "<i8"}[t["dtype"]]
        a = np.frombuffer(data[8 + n + begin:8 + n + end], dtype=dtype).reshape(t["shape"])
        out[name] = torch.from_numpy(a.copy())
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--lr", type=float, default=0.01)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--save")
    ap.add_argument("--predictions")
    ap.add_argument("--load", help="evaluate conv4j weights (model.safetensors) instead of training; "
                                   "--mean/--std give conv4j's normalisation from checkpoint.json")
    ap.add_argument("--mean", type=float, default=0.0)
    ap.add_argument("--std", type=float, default=1.0)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    xtr, ytr = load(args.data, "train")
    xte, yte = load(args.data, "t10k")
    model = LeNet5()
    if args.load:
        model.load_state_dict(load_safetensors(args.load), strict=True)
        model.eval()
        with torch.no_grad():
            x = (xte - args.mean) / args.std
            pred = torch.cat([model(x[i:i + 1000]).argmax(1) for i in range(0, len(x), 1000)])
        print(json.dumps({"loaded": args.load, "test_accuracy": round((pred == yte).float().mean().item(), 4)}))
        if args.predictions:
            np.savetxt(args.predictions, pred.numpy(), fmt="%d")
        return
    opt = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=0.9)
    for epoch in range(args.epochs):
        model.train()
        perm = torch.randperm(len(xtr))
        start = time.perf_counter()
        for i in range(0, len(xtr), args.batch):
            idx_ = perm[i:i + args.batch]
            opt.zero_grad(set_to_none=True)
            loss = F.cross_entropy(model(xtr[idx_]), ytr[idx_])
            loss.backward()
            opt.step()
        seconds = time.perf_counter() - start
        model.eval()
        with torch.no_grad():
            pred = torch.cat([model(xte[i:i + 1000]).argmax(1) for i in range(0, len(xte), 1000)])
        acc = (pred == yte).float().mean().item()
        print(json.dumps({"epoch": epoch + 1, "threads": args.threads, "batch": args.batch, "seconds": round(seconds, 2),
                          "samples_per_second": round(len(xtr) / seconds), "test_accuracy": round(acc, 4),
                          "torch": torch.__version__}), flush=True)
    if args.save:
        save_safetensors(args.save, model.state_dict())
    if args.predictions:
        np.savetxt(args.predictions, pred.numpy(), fmt="%d")


if __name__ == "__main__":
    main()
