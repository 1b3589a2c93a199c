using System.Net;
using OrleansProxy.Grains;

namespace OrleansProxy.Silo.Sip;

/// <param name="Address">The member as configured ("host:port"), which is how the pair's grain names it.</param>
internal sealed record PairMember(string Pair, MemberRole Role, string Address, IPEndPoint EndPoint);
