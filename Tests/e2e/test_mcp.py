"""The MCP server driven by the official Python `mcp` SDK, as an AI agent would."""
import asyncio

import pytest

mcp = pytest.importorskip("mcp")
from mcp import ClientSession, StdioServerParameters  # noqa: E402
from mcp.client.stdio import stdio_client  # noqa: E402


async def session_run(s7wb, project, body):
    parameters = StdioServerParameters(command=s7wb, args=["mcp", project])
    async with stdio_client(parameters) as (read, write):
        async with ClientSession(read, write) as session:
            await asyncio.wait_for(session.initialize(), timeout=20)
            return await body(session)


def test_tools_mirror_the_rest_api(s7wb, sample_project):
    async def body(session):
        tools = await session.list_tools()
        names = {tool.name for tool in tools.tools}
        assert {"get_api_projects_overview", "get_api_instance_status", "get_api_health"} <= names
        result = await session.call_tool("get_api_projects_overview", {})
        assert not result.is_error
        assert result.structured_content["name"] == "bottling-line"
        missing = await session.call_tool("get_api_projects_overview", {"projectId": "nope"})
        assert missing.is_error
        assert missing.structured_content["status"] == 404

    asyncio.run(session_run(s7wb, sample_project, body))
